package io.fjord.assignors.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of the classic (non-flexible) Kafka types over a view of the caller's
 * buffer. Every length is checked against the bytes still present before anything is allocated,
 * so hostile input costs at most its own size.
 */
final class ProtocolReader {

    private final ByteBuffer in;
    private final String what;

    /** Reads {@code buffer} from its position to its limit; the caller's position does not move. */
    ProtocolReader(ByteBuffer buffer, String what) {
        this.in = buffer.duplicate();
        this.what = what;
    }

    int remaining() {
        return in.remaining();
    }

    short readShort() {
        need(2, "an INT16");
        return in.getShort();
    }

    int readInt() {
        need(4, "an INT32");
        return in.getInt();
    }

    String readString() {
        String s = readNullableString();
        if (s == null) {
            throw malformed("a null or negative-length STRING where one is required");
        }
        return s;
    }

    String readNullableString() {
        short length = readShort();
        if (length < 0) {
            // Any negative length reads as null, as in Kafka's generated readers.
            return null;
        }
        need(length, "a STRING of " + length + " bytes");
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A NULLABLE_BYTES field as a read-only view of the caller's bytes, or null. */
    ByteBuffer readNullableBytes() {
        int length = readInt();
        if (length < 0) {
            return null;
        }
        need(length, "BYTES of " + length + " bytes");
        ByteBuffer view = in.slice().limit(length).asReadOnlyBuffer();
        in.position(in.position() + length);
        return view;
    }

    /**
     * An ARRAY's element count, checked against the bytes left: each element takes at least
     * {@code minElementBytes}, so a count claiming more elements than could fit is refused here.
     */
    int readArrayLength(int minElementBytes) {
        int count = readInt();
        if (count < 0) {
            throw malformed("an ARRAY length of " + count + " for a non-nullable array");
        }
        if ((long) count * minElementBytes > in.remaining()) {
            throw malformed("an ARRAY of " + count + " elements with only " + in.remaining() + " bytes left");
        }
        return count;
    }

    private void need(int bytes, String field) {
        if (in.remaining() < bytes) {
            throw malformed("truncated: " + field + " needs " + bytes + " bytes, " + in.remaining() + " left");
        }
    }

    ConsumerProtocolException malformed(String detail) {
        return new ConsumerProtocolException("Malformed " + what + ": " + detail);
    }
}
