package io.tokenscope.producer.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * LongBench (THUDM/LongBench) rows: one JSON object per line with {@code input} (the question
 * or instruction, empty for summarisation tasks), {@code context} (the long document),
 * {@code answers}, {@code length}, {@code dataset}, {@code language}, {@code all_classes} and
 * {@code _id}. A prompt is the context first and the question last, as LongBench's own
 * templates put them: requests on one document then share a cacheable prefix, which is what a
 * prefix-cache benchmark needs. Fields the prompt does not use are still checked for their
 * type, because a wrong type there means the line is not what the file claims to be.
 */
public final class LongBench {
    static final String QUESTION = "Answer the question based on the text above. Only give the answer.\n\nQuestion: ";
    static final String SUMMARY = "Summarize the text above.";

    /** What a whole-file scan found: the prompts of good lines and one problem per bad line. */
    public record Scan(List<String> prompts, List<String> problems) {
        public Scan {
            prompts = List.copyOf(prompts);
            problems = List.copyOf(problems);
        }
    }

    private LongBench() {}

    /** The first {@code limit} prompts, as reviews without labels; the first bad line stops the read. */
    public static List<Review> read(Path file, int limit) {
        List<Review> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        JsonLines.read(file, "LongBench file", (node, line) -> {
            out.add(new Review(prompt(node, file, line), ""));
            return out.size() < limit;
        }, problem -> {
            throw problem;
        });
        return out;
    }

    /** Every line: good ones become prompts, bad ones are reported and reading goes on. */
    public static Scan scan(Path file) {
        List<String> prompts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        JsonLines.read(file, "LongBench file", (node, line) -> prompts.add(prompt(node, file, line)),
                problem -> problems.add(problem.getMessage()));
        return new Scan(prompts, problems);
    }

    static String prompt(JsonNode row, Path file, int line) {
        String context = JsonLines.text(row, "context", true, file, line);
        String input = JsonLines.text(row, "input", true, file, line);
        if (context.isBlank() && input.isBlank()) {
            throw new DatasetException(file + ":" + line + ": fields 'context' and 'input' are both empty");
        }
        JsonNode answers = row.get("answers");
        if (answers != null && !answers.isNull() && !answers.isArray()) {
            throw new DatasetException(file + ":" + line + ": field 'answers' must be a list, got "
                    + answers.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode length = row.get("length");
        if (length != null && !length.isNull() && !length.canConvertToInt()) {
            throw new DatasetException(file + ":" + line + ": field 'length' must be a whole number, got " + length);
        }
        JsonNode classes = row.get("all_classes");
        if (classes != null && !classes.isNull() && !classes.isArray()) {
            throw new DatasetException(file + ":" + line + ": field 'all_classes' must be a list or null, got " + classes);
        }
        if (context.isBlank()) {
            return input;
        }
        return context + "\n\n" + (input.isBlank() ? SUMMARY : QUESTION + input + "\nAnswer:");
    }
}
