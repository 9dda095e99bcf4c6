package io.tokenscope.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A YAML file of settings read as flags: key {@code max_num_seqs: 256} is {@code --max-num-seqs 256}.
 * Lists repeat the flag (fault_rate: [http_503=0.1, reset@3=0.05]). Keys are checked by the
 * flag parser, so a misspelt key is reported like a misspelt flag.
 */
final class YamlFlags {
    private YamlFlags() {}

    static List<String> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + " is not readable YAML: " + e.getMessage());
        }
        List<String> flags = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flags;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("--config " + file + " must be a mapping of setting: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String flag = "--" + e.getKey().replace('_', '-');
            if (e.getValue().isArray()) {
                for (JsonNode v : e.getValue()) {
                    flags.add(flag);
                    flags.add(v.asText());
                }
            } else if (e.getValue().isContainerNode()) {
                throw new IllegalArgumentException("--config " + file + ": '" + e.getKey() + "' must be a value or a list");
            } else {
                flags.add(flag);
                flags.add(e.getValue().asText());
            }
        }
        return flags;
    }
}
