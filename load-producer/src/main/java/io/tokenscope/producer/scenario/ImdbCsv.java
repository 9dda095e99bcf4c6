package io.tokenscope.producer.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IMDB review CSV users download: a header {@code review,sentiment}, then one quoted review
 * per record (RFC 4180: commas, doubled quotes and line breaks inside quotes) and its label.
 * Reads at most {@code limit} records; every problem names the file, the line and the column.
 */
public final class ImdbCsv {
    private ImdbCsv() {}

    public static List<Review> read(Path file, int limit) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString(), limit);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read the IMDB CSV: " + e.getMessage());
        }
    }

    static List<Review> parse(BufferedReader in, String name, int limit) throws IOException {
        Records records = new Records(in);
        List<String> header = records.next();
        if (header == null) {
            throw new DatasetException(name + ": empty file, expected a header 'review,sentiment'");
        }
        int reviewCol = header.indexOf("review");
        int sentimentCol = header.indexOf("sentiment");
        if (reviewCol < 0 || sentimentCol < 0) {
            throw new DatasetException(name + ":1: header must name columns 'review' and 'sentiment', got " + header);
        }
        List<Review> reviews = new ArrayList<>();
        List<String> record;
        while (reviews.size() < limit && (record = records.next()) != null) {
            int line = records.recordStartLine;
            if (record.size() != header.size()) {
                throw new DatasetException(name + ":" + line + ": expected " + header.size() + " columns, found "
                        + record.size());
            }
            String text = record.get(reviewCol).strip();
            if (text.isEmpty()) {
                throw new DatasetException(name + ":" + line + ": column 'review' is empty");
            }
            String sentiment = record.get(sentimentCol).strip().toLowerCase(java.util.Locale.ROOT);
            if (!sentiment.equals("positive") && !sentiment.equals("negative")) {
                throw new DatasetException(name + ":" + line + ": column 'sentiment' must be positive or negative, got '"
                        + record.get(sentimentCol) + "'");
            }
            reviews.add(new Review(text.replace("<br />", "\n").replace("<br/>", "\n"), sentiment));
        }
        return reviews;
    }

    /** RFC 4180 records; tracks the line each record starts on, for error messages. */
    private static final class Records {
        private final BufferedReader in;
        private int line;
        int recordStartLine;

        Records(BufferedReader in) {
            this.in = in;
        }

        List<String> next() throws IOException {
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
                        throw new DatasetException("line " + recordStartLine + ": a quoted field is never closed");
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
}
