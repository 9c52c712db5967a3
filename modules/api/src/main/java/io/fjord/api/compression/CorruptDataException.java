package io.fjord.api.compression;

import java.io.IOException;

/**
 * Compressed input that a codec cannot decode: a bad magic number or header checksum, a block
 * that claims more bytes than follow, a truncated frame, or more output than the caller allows.
 * In a produce request this becomes Kafka's CORRUPT_MESSAGE.
 */
public class CorruptDataException extends IOException {

    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
