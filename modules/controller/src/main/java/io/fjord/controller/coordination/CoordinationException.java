package io.fjord.controller.coordination;

/**
 * A coordination operation that did not happen. Nothing of a failed write is applied: a multi-write
 * is all or nothing.
 */
public class CoordinationException extends RuntimeException {

    /** Why the operation failed; callers act on this, not on the message. */
    public enum Reason {
        /** A condition of the write did not hold: a version moved, an entry existed or was missing. */
        CONDITION_FAILED,
        /** The controller lease of the write is no longer current: another controller was elected. */
        FENCED,
        /** The broker id is registered by another live session. */
        ID_IN_USE,
        /** The session expired or the engine cannot be reached; the outcome of a write is unknown
         *  only when this is thrown, and the caller must read to find it. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String path;

    public CoordinationException(Reason reason, String path, String message) {
        this(reason, path, message, null);
    }

    public CoordinationException(Reason reason, String path, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    /** The path the failure concerns, or null when it concerns no single entry. */
    public String path() {
        return path;
    }
}
