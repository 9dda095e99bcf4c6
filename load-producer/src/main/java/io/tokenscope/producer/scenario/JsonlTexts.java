package io.tokenscope.producer.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JSONL dataset: one object per line with a string field "text" (and optionally "sentiment"). */
public final class JsonlTexts {
    private JsonlTexts() {}

    /** The first {@code limit} texts; the first bad line stops the read with its file, line and field. */
    public static List<Review> read(Path file, int limit) {
        List<Review> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        JsonLines.read(file, "JSONL dataset", (node, line) -> {
            out.add(new Review(JsonLines.text(node, "text", false, file, line), sentiment(node, file, line)));
            return out.size() < limit;
        }, problem -> {
            throw problem;
        });
        return out;
    }

    /** The label as the IMDB CSV reader gives it, lower case, or empty without one. */
    private static String sentiment(com.fasterxml.jackson.databind.JsonNode node, Path file, int line) {
        if (!node.has("sentiment") || node.get("sentiment").isNull()) {
            return "";
        }
        String label = JsonLines.text(node, "sentiment", true, file, line).strip().toLowerCase(java.util.Locale.ROOT);
        if (!label.isEmpty() && !label.equals("positive") && !label.equals("negative")) {
            throw new DatasetException(file + ":" + line + ": field 'sentiment' must be positive or negative, got '"
                    + node.get("sentiment").asText() + "'");
        }
        return label;
    }
}
