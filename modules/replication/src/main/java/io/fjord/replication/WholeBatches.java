package io.fjord.replication;

import java.nio.ByteBuffer;

/**
 * The complete record batches at the front of fetched bytes: a fetch may end in a partial batch
 * (a leader cuts at its byte limit), which the next fetch brings whole.
 */
final class WholeBatches {

    /** Bytes before a batch's length field: base offset (8). The length counts what follows it. */
    private static final int LENGTH_OFFSET = 8;
    private static final int LOG_OVERHEAD = 12;

    private WholeBatches() {
    }

    /** A view of the longest prefix of {@code bytes} (position to limit) made of whole batches. */
    static ByteBuffer prefix(ByteBuffer bytes) {
        int start = bytes.position();
        int pos = start;
        while (bytes.limit() - pos >= LOG_OVERHEAD) {
            int length = bytes.getInt(pos + LENGTH_OFFSET);
            if (length < 0 || bytes.limit() - pos - LOG_OVERHEAD < length) {
                break;
            }
            pos += LOG_OVERHEAD + length;
        }
        ByteBuffer view = bytes.duplicate();
        view.position(start).limit(pos);
        return view.slice();
    }
}
