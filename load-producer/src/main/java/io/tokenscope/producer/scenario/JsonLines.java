package io.tokenscope.producer.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of one JSON object per line, read line by line so that a 100k-line file never has to
 * fit in memory twice. Blank lines are skipped. Every problem is a {@link DatasetException}
 * whose message starts with {@code file:line:}, and a line that is not JSON also names the
 * column where the parser gave up.
 */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Called with each object; returns false to stop reading. */
    interface Row {
        boolean accept(JsonNode object, int line);
    }

    /** Called with each line's problem; a consumer that does not rethrow lets reading go on. */
    interface Problems {
        void report(DatasetException problem);
    }

    private JsonLines() {}

    static void read(Path file, String what, Row row, Problems problems) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = object(file, line, text);
                } catch (DatasetException e) {
                    problems.report(e);
                    continue;
                }
                try {
                    if (!row.accept(node, line)) {
                        return;
                    }
                } catch (DatasetException e) {
                    problems.report(e);
                }
            }
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read the " + what + ": " + e.getMessage());
        }
    }

    private static JsonNode object(Path file, int line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new DatasetException(file + ":" + line + ": not a JSON object" + column + " ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) {
            throw new DatasetException(file + ":" + line + ": not a JSON object (found "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + ")");
        }
        return node;
    }

    /** The string field {@code name}; blank is allowed only when {@code mayBeBlank}. */
    static String text(JsonNode object, String name, boolean mayBeBlank, Path file, int line) {
        JsonNode field = object.get(name);
        if (field == null || field.isNull()) {
            throw new DatasetException(file + ":" + line + ": field '" + name + "' is missing");
        }
        if (!field.isTextual()) {
            throw new DatasetException(file + ":" + line + ": field '" + name + "' must be a string, got "
                    + field.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        if (!mayBeBlank && field.asText().isBlank()) {
            throw new DatasetException(file + ":" + line + ": field '" + name + "' is empty");
        }
        return field.asText();
    }
}
