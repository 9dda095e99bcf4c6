package io.tokenscope.registry;

/** A schema registry answered with an error, or could not be reached. Carries Confluent's error code. */
public final class RegistryException extends RuntimeException {
    private final int errorCode;

    public RegistryException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = -1;
    }

    /** Confluent's error_code (e.g. 40403 schema not found, 409 incompatible); -1 when unreachable. */
    public int errorCode() {
        return errorCode;
    }
}
