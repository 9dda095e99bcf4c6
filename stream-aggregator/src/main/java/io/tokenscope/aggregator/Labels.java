package io.tokenscope.aggregator;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The configuration a request ran under, as carried by every event; part of each state value. */
public record Labels(String runId, String scenario, int round, int concurrency, String endpoint, String model) {
    public static final Labels UNKNOWN = new Labels("", "", 0, 0, "", "");
    /** Joins the labels in a key; a control character, so no label text can forge a boundary. */
    public static final char SEP = '\u001f';

    /** The configuration as one string: the key windows and run totals are grouped by. */
    public String key() {
        return runId + SEP + scenario + SEP + round + SEP + concurrency + SEP + endpoint + SEP + model;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(runId);
        out.writeUTF(scenario);
        out.writeInt(round);
        out.writeInt(concurrency);
        out.writeUTF(endpoint);
        out.writeUTF(model);
    }

    /** What {@link #write} writes, as bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Labels read(DataInputStream in) throws IOException {
        return new Labels(in.readUTF(), in.readUTF(), in.readInt(), in.readInt(), in.readUTF(), in.readUTF());
    }
}
