package io.tokenscope.producer.scenario;

/** A dataset that cannot be used; the message names the file, the line and the column or field. */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }
}
