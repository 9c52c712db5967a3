package io.fjord.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One record header as read from a batch: the key and value are read-only slices of the batch's
 * (or its decompressed) bytes, not copies, and stay valid as long as those bytes are not reused.
 * The value is null for a null header value; the key is never null.
 */
public record RecordHeaderView(ByteBuffer key, ByteBuffer value) {

    /** The key decoded as UTF-8, as Kafka's clients present it. */
    public String keyString() {
        return StandardCharsets.UTF_8.decode(key.duplicate()).toString();
    }

    /** A copy of the value, or null. */
    public byte[] valueBytes() {
        return RecordCursor.copy(value);
    }
}
