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
            out.add(new Review(JsonLines.text(node, "text", false, file, line), node.path("sentiment").asText("")));
            return out.size() < limit;
        }, problem -> {
            throw problem;
        });
        return out;
    }
}
