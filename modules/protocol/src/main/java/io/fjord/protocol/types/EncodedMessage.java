package io.fjord.protocol.types;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An encoded message as a sequence of parts: buffers written by the encoder, with the {@link
 * RecordSet}s of {@code RECORDS} fields left in place between them, uncopied. The total size is
 * known before anything is sent, so the frame's size prefix can go first.
 *
 * <p>Buffer ownership: the encoded buffers belong to this message; {@link #visit} hands out
 * read-only views. Record sets are the caller's and are referenced, not copied.
 */
public final class EncodedMessage {

    /** Receives the parts of a message in wire order. */
    public interface PartVisitor {
        void encoded(ByteBuffer bytes);

        void records(RecordSet records);
    }

    private final List<Object> parts;
    private final int sizeInBytes;

    EncodedMessage(List<Object> parts, int sizeInBytes) {
        this.parts = List.copyOf(parts);
        this.sizeInBytes = sizeInBytes;
    }

    /** This message preceded by its INT32 size: a whole frame, ready to send. */
    public EncodedMessage withSizePrefix() {
        List<Object> framed = new java.util.ArrayList<>(parts.size() + 1);
        framed.add(ByteBuffer.allocate(Frames.SIZE_PREFIX_BYTES).putInt(0, sizeInBytes));
        framed.addAll(parts);
        return new EncodedMessage(framed, Frames.SIZE_PREFIX_BYTES + sizeInBytes);
    }

    /** The number of bytes on the wire, all parts together. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** The number of parts, encoded buffers and record sets together. */
    public int partCount() {
        return parts.size();
    }

    /** Walks the parts in wire order. */
    public void visit(PartVisitor visitor) {
        for (Object part : parts) {
            if (part instanceof ByteBuffer bytes) {
                visitor.encoded(bytes.asReadOnlyBuffer());
            } else {
                visitor.records((RecordSet) part);
            }
        }
    }

    /** Copies every part, record sets included, into one new heap buffer, flipped for reading. */
    public ByteBuffer toByteBuffer() {
        ByteBuffer out = ByteBuffer.allocate(sizeInBytes);
        visit(new PartVisitor() {
            @Override
            public void encoded(ByteBuffer bytes) {
                out.put(bytes);
            }

            @Override
            public void records(RecordSet records) {
                records.copyTo(out);
            }
        });
        return out.flip();
    }
}
