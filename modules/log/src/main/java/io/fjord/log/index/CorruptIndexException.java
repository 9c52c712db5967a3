package io.fjord.log.index;

/** An index file that breaks its invariants; the log rebuilds it from the segment. */
public final class CorruptIndexException extends Exception {

    public CorruptIndexException(String message) {
        super(message);
    }
}
