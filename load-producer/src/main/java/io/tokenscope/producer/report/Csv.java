package io.tokenscope.producer.report;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 cells for metrics_summary.csv, whose run ids and scenario names are the user's text. */
final class Csv {
    private Csv() {}

    static String quoted(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** One line's cells, quotes removed; labels carry no line breaks, so a row is one line. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (inQuotes) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    inQuotes = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.length() == 0) {
                // Only a cell's first character opens quotes: files from builds that did not
                // quote hold bare quotes inside cells.
                inQuotes = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
