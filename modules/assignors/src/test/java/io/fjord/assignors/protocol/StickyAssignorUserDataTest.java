package io.fjord.assignors.protocol;

import io.fjord.api.TopicPartition;
import io.fjord.assignors.protocol.StickyAssignorUserData.MemberData;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sticky user data layouts on their own; the Kafka interoperability is in the assignors' tests. */
class StickyAssignorUserDataTest {

    @Test
    void versionOneCarriesTheGenerationAndVersionZeroDoesNot() {
        List<TopicPartition> partitions = List.of(new TopicPartition("b", 2), new TopicPartition("a", 0),
                new TopicPartition("b", 1));
        ByteBuffer v1 = StickyAssignorUserData.encode(new MemberData(partitions, Optional.of(42)));
        ByteBuffer v0 = StickyAssignorUserData.encode(new MemberData(partitions, Optional.empty()));
        assertEquals(v0.remaining() + 4, v1.remaining());
        // [a: 0], [b: 2, 1]: topics in name order, partitions as given.
        ByteBuffer expected = ByteBuffer.allocate(v0.remaining()).putInt(2)
                .putShort((short) 1).put((byte) 'a').putInt(1).putInt(0)
                .putShort((short) 1).put((byte) 'b').putInt(2).putInt(2).putInt(1).flip();
        assertEquals(expected, v0);
        assertEquals(new MemberData(List.of(partitions.get(1), partitions.get(0), partitions.get(2)), Optional.of(42)),
                StickyAssignorUserData.decode(v1));
        assertEquals(Optional.empty(), StickyAssignorUserData.decode(v0).generation());
    }

    @Test
    void truncatedAssignmentsAreTypedErrorsAndACutGenerationReadsAsVersionZero() {
        ByteBuffer v1 = StickyAssignorUserData.encode(new MemberData(
                List.of(new TopicPartition("topic", 5), new TopicPartition("other", 0)), Optional.of(3)));
        int assignmentBytes = v1.remaining() - 4;
        for (int cut = 0; cut < v1.remaining(); cut++) {
            ByteBuffer prefix = v1.duplicate().limit(cut);
            if (cut < assignmentBytes) {
                assertThrows(ConsumerProtocolException.class, () -> StickyAssignorUserData.decode(prefix));
            } else {
                assertEquals(Optional.empty(), StickyAssignorUserData.decode(prefix).generation());
            }
        }
        assertThrows(ConsumerProtocolException.class,
                () -> StickyAssignorUserData.decode(ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE)));
    }

    @Test
    void cooperativeUserDataIsOneGeneration() {
        assertEquals(ByteBuffer.allocate(4).putInt(0, 17), CooperativeStickyAssignorUserData.encode(17));
        assertEquals(-1, CooperativeStickyAssignorUserData.decode(CooperativeStickyAssignorUserData.encode(-1)));
        assertThrows(ConsumerProtocolException.class, () -> CooperativeStickyAssignorUserData.decode(ByteBuffer.allocate(3)));
    }
}
