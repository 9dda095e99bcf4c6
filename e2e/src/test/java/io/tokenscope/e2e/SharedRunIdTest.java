package io.tokenscope.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Producers run one after another under one run id with different scenarios, as the seed
 * experiment runs its twelve: every request keeps its own rows, none overwrites another's.
 */
class SharedRunIdTest {
    @Test
    void scenariosSharingARunIdKeepEveryRequestsRows() throws Exception {
        try (Pipeline pipeline = new Pipeline("--engine", "fixed", "--ttft-ms", "5", "--itl-ms", "2", "--output-tokens", "4")) {
            String run = Services.unique("shared");
            for (String scenario : new String[] {"one-long", "many-short"}) {
                pipeline.run(run, "--scenario", scenario, "--requests", "6", "--concurrency", "all", "--max-tokens", "4");
            }
            String where = " FROM " + pipeline.database + ".%s FINAL WHERE run_id = '" + run + "'";
            assertEquals(12, Services.awaitCount("SELECT sum(requests)" + String.format(where, "window_aggregates"), 12,
                    60_000));
            assertEquals(12, Services.awaitCount("SELECT count()" + String.format(where, "requests"), 12, 60_000),
                    "a request row per request of both scenarios");
            assertEquals(48, Services.awaitCount("SELECT count()" + String.format(where, "token_events"), 48, 60_000),
                    "four token rows per request");
        }
    }
}
