package io.tokenscope.producer.emit;

/** Labels every event of one (run, scenario, round, concurrency) configuration carries. */
public record RunContext(String runId, String scenario, int round, int concurrency, String endpoint, String model,
                         String api) {}
