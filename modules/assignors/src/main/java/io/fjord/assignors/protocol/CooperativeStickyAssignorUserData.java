package io.fjord.assignors.protocol;

import java.nio.ByteBuffer;

/**
 * The user data of the {@code cooperative-sticky} assignor, as Kafka's
 * {@code CooperativeStickyAssignor} writes it: the member's last generation, one INT32 with no
 * version prefix. Members that send a subscription of version 2 or later also carry the generation
 * in the subscription itself, which takes precedence; this copy serves older readers.
 *
 * <p>Buffers: {@link #encode} returns a new heap buffer positioned at 0; {@link #decode} reads
 * from the position to the limit without moving it.
 */
public final class CooperativeStickyAssignorUserData {

    private CooperativeStickyAssignorUserData() {
    }

    public static ByteBuffer encode(int generation) {
        return ByteBuffer.allocate(4).putInt(0, generation);
    }

    /**
     * The generation; trailing bytes are ignored.
     *
     * @throws ConsumerProtocolException if fewer than four bytes remain
     */
    public static int decode(ByteBuffer buffer) {
        return new ProtocolReader(buffer, "cooperative-sticky assignor user data").readInt();
    }
}
