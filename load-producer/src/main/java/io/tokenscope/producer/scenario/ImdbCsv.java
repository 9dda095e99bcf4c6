package io.tokenscope.producer.scenario;

import io.tokenscope.cli.Csv;
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
        Csv.Records records = new Csv.Records(in);
        List<String> header = nextRecord(records, name);
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
        while (reviews.size() < limit && (record = nextRecord(records, name)) != null) {
            int line = records.recordStartLine();
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

    private static List<String> nextRecord(Csv.Records records, String name) throws IOException {
        try {
            return records.next();
        } catch (Csv.UnclosedQuote e) {
            throw new DatasetException(name + ": " + e.getMessage());
        }
    }
}
