package io.tokenscope.producer.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JSONL dataset: one object per line with a string field "text" (and optionally "sentiment"). */
public final class JsonlTexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlTexts() {}

    public static List<Review> read(Path file, int limit) {
        List<Review> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while (out.size() < limit && (text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (IOException e) {
                    throw new DatasetException(file + ":" + line + ": not a JSON object ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
                }
                JsonNode field = node == null ? null : node.get("text");
                if (field == null || !field.isTextual() || field.asText().isBlank()) {
                    throw new DatasetException(file + ":" + line + ": field 'text' is missing, empty or not a string");
                }
                out.add(new Review(field.asText(), node.path("sentiment").asText("")));
            }
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read the JSONL dataset: " + e.getMessage());
        }
        return out;
    }
}
