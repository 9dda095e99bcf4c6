package io.tokenscope.producer.scrape;

import java.util.HashMap;
import java.util.Map;

/** Sums of each metric in a Prometheus text exposition, over all its label sets. */
public final class PrometheusText {
    private PrometheusText() {}

    public static Map<String, Double> sums(String exposition) {
        Map<String, Double> sums = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = brace >= 0 ? line.indexOf(' ', line.lastIndexOf('}')) : line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = line.substring(0, brace >= 0 ? brace : space);
            String[] rest = line.substring(space + 1).trim().split("\\s+");
            double value;
            try {
                value = Double.parseDouble(rest[0]);
            } catch (NumberFormatException e) {
                continue; // a malformed sample, or Prometheus' +Inf/-Inf spelling
            }
            // Java reads "NaN" (and "Infinity"), which would turn the whole sum into it.
            if (Double.isFinite(value)) {
                sums.merge(name, value, Double::sum);
            }
        }
        return sums;
    }
}
