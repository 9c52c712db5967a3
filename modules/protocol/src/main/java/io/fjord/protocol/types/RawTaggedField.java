package io.fjord.protocol.types;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A tagged field a message does not know: kept as its tag and bytes when read, so that a message
 * read and written again carries it on unchanged (a newer peer's field passes through an older
 * Fjord), and so that a broker can see what a client sent.
 *
 * <p>Buffer ownership: {@code data} is a slice of the buffer the message was read from.
 *
 * @param tag the tag, as read
 * @param data the field's bytes, without tag and size
 */
public record RawTaggedField(int tag, ByteBuffer data) {

    /** Appends a field read from {@code field} (a reader over exactly its bytes) to {@code fields}, made if null. */
    public static List<RawTaggedField> add(List<RawTaggedField> fields, int tag, WireReader field) {
        List<RawTaggedField> list = fields == null ? new ArrayList<>(2) : fields;
        list.add(new RawTaggedField(tag, field.readSlice(field.remaining())));
        return list;
    }

    /** Whether two lists hold the same fields; null and empty are the same. */
    public static boolean sameFields(List<RawTaggedField> a, List<RawTaggedField> b) {
        boolean aEmpty = a == null || a.isEmpty();
        boolean bEmpty = b == null || b.isEmpty();
        return aEmpty || bEmpty ? aEmpty == bEmpty : a.equals(b);
    }

    /** A hash code consistent with {@link #sameFields}. */
    public static int hashOf(List<RawTaggedField> fields) {
        return fields == null || fields.isEmpty() ? 0 : fields.hashCode();
    }
}
