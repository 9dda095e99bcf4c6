package io.tokenscope.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, as users' datasets and the producer's own result files are written: commas,
 * doubled quotes and line breaks inside quoted fields. Only a field's first character opens
 * quotes, so a bare quote inside an unquoted field is text.
 */
public final class Csv {
    private Csv() {}

    /** A field as written: quoted when it holds a comma, a quote or a line break. */
    public static String quoted(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** Records read one at a time; tracks the line each starts on, for error messages. */
    public static final class Records {
        private final BufferedReader in;
        private int line;
        private int recordStartLine;

        public Records(BufferedReader in) {
            this.in = in;
        }

        /** The line (from 1) the record last returned started on. */
        public int recordStartLine() {
            return recordStartLine;
        }

        /** The next record's fields, or null at the end; throws naming the line when a quote is never closed. */
        public List<String> next() throws IOException {
            String text = in.readLine();
            if (text == null) {
                return null;
            }
            line++;
            recordStartLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            while (true) {
                if (i == text.length()) {
                    if (!quoted) {
                        fields.add(field.toString());
                        return fields;
                    }
                    text = in.readLine();
                    if (text == null) {
                        throw new UnclosedQuote(recordStartLine);
                    }
                    line++;
                    field.append('\n');
                    i = 0;
                    continue;
                }
                char c = text.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"' && field.length() == 0) {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
        }
    }

    /** A quoted field that the file ends inside. */
    public static final class UnclosedQuote extends IOException {
        public UnclosedQuote(int line) {
            super("line " + line + ": a quoted field is never closed");
        }
    }
}
