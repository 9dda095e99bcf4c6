package io.tokenscope.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenscope.cli.Flags;
import io.tokenscope.producer.scenario.DatasetException;
import io.tokenscope.producer.scenario.LongBench;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code load-producer convert --input longbench:FILE --output OUT.jsonl}: turns a dataset into
 * the producer's JSONL ({@code {"text": prompt}} per line), so it can be inspected, trimmed or
 * shared before a run. A bad line does not stop the conversion: it is reported with its file,
 * line and field, counted, and the exit status says so, so no script mistakes a partial file
 * for a whole one.
 */
public final class Convert {
    static final String USAGE = """
            load-producer convert: write a dataset as JSONL of {"text": prompt}, one prompt per line
              --input longbench:FILE    LongBench rows (input, context, answers, length, dataset, language,
                                        all_classes, _id); prompt = context, then the question
              --output FILE             where to write the JSONL (overwritten)
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a conversion did; malformed lines are listed in {@code problems}. */
    record Outcome(int written, java.util.List<String> problems) {
        Outcome {
            problems = java.util.List.copyOf(problems);
        }
    }

    private Convert() {}

    /** Exit status: 0 all lines converted, 1 some lines were malformed or nothing could be read, 2 bad flags. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Flags f;
        String input, output;
        try {
            f = Flags.parse(args, USAGE, Set.of("--input", "--output"));
            input = f.text("--input", null);
            output = f.text("--output", null);
            if (input == null || output == null) {
                throw new IllegalArgumentException("convert needs --input and --output\n" + USAGE);
            }
            if (!input.startsWith("longbench:") || input.length() == "longbench:".length()) {
                throw new IllegalArgumentException("--input must be longbench:FILE, got '" + input + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path in = Path.of(input.substring("longbench:".length()));
        Outcome outcome;
        try {
            outcome = convert(in, Path.of(output));
        } catch (DatasetException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot write " + output + " (--output): " + e.getMessage());
            return 1;
        }
        for (String problem : outcome.problems()) {
            err.println("malformed: " + problem);
        }
        out.printf("%d prompts written to %s; %d malformed line(s) in %s skipped%n", outcome.written(), output,
                outcome.problems().size(), in);
        return outcome.problems().isEmpty() && outcome.written() > 0 ? 0 : 1;
    }

    static Outcome convert(Path longBench, Path output) throws IOException {
        LongBench.Scan scan = LongBench.scan(longBench);
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (String prompt : scan.prompts()) {
                w.write(JSON.createObjectNode().put("text", prompt).toString());
                w.write('\n');
            }
        }
        return new Outcome(scan.prompts().size(), scan.problems());
    }
}
