package io.fjord.coordinator;

import static io.fjord.coordinator.CoordinatorHarness.bytes;
import static io.fjord.coordinator.CoordinatorHarness.join;
import static io.fjord.coordinator.CoordinatorHarness.protocols;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deleting {@code __consumer_offsets} while the coordinator runs, which Kafka allows: as Kafka's
 * coordinator does for partitions it no longer leads, it drops every group and offset and answers
 * parked requests NOT_COORDINATOR; the next group request creates the topic again and groups
 * work on it as on a new cluster.
 */
class OffsetsTopicDeletionTest {

    private static final String GROUP = "g";
    private static final int SESSION = 10_000;
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private static Map<TopicPartition, PartitionOffset> offset(long offset) {
        return Map.of(T0, new PartitionOffset(offset, -1, ""));
    }

    /** A member's MEMBER_ID_REQUIRED round, then its join: the join's answer holder. */
    private static AtomicReference<JoinGroupResult> newMember(CoordinatorHarness h) {
        String id = h.join(join(GROUP, "", null, SESSION, 5000, protocols("range"))).get().memberId();
        return h.join(join(GROUP, id, null, SESSION, 5000, protocols("range")));
    }

    @Test
    void groupsAreDroppedAndWorkAgainOnTheTopicCreatedAfresh() throws Exception {
        try (CoordinatorHarness h = new CoordinatorHarness(dir, Map.of("group.initial.rebalance.delay.ms", "0"))) {
            assertEquals(Map.of(T0, Errors.NONE), h.commit("admin-group", "", -1, offset(7)));
            JoinGroupResult first = newMember(h).get();
            assertEquals(Errors.NONE, h.sync(GROUP, first.generationId(), first.memberId(), null,
                    Map.of(first.memberId(), bytes("a"))).get().error());
            AtomicReference<JoinGroupResult> parked = newMember(h);
            assertNull(parked.get(), "the second member waits for the first to rejoin");
            assertEquals(1, h.offsetsTopicCreations.get());

            h.deleteOffsetsTopic();

            assertEquals(Errors.NOT_COORDINATOR, parked.get().error(), "as from a coordinator that resigned");
            assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat(GROUP, first.memberId(), null,
                    first.generationId()), "the group is gone: its members join afresh");
            assertEquals(2, h.offsetsTopicCreations.get(), "the next group request created the topic again");
            assertNull(h.coordinator.fetchOffsets("admin-group", List.of(T0)).offsets().get(T0));
            assertTrue(h.coordinator.listGroups(Set.of()).groups().isEmpty());

            JoinGroupResult again = newMember(h).get();
            assertEquals(Errors.NONE, again.error());
            assertEquals(1, again.generationId(), "a new group");
            AtomicReference<SyncGroupResult> synced = h.sync(GROUP, again.generationId(), again.memberId(), null,
                    Map.of(again.memberId(), bytes("b")));
            assertArrayEquals(bytes("b"), synced.get().assignment());
            assertEquals(Map.of(T0, Errors.NONE), h.commit(GROUP, again.memberId(), again.generationId(), offset(9)));

            h.restart();
            h.load();
            assertEquals(9, h.coordinator.fetchOffsets(GROUP, List.of(T0)).offsets().get(T0).offset());
            assertNull(h.coordinator.fetchOffsets("admin-group", List.of(T0)).offsets().get(T0),
                    "the deleted topic's records are not replayed");
            GroupDescription replayed = h.coordinator.describeGroup(GROUP);
            assertEquals(GroupState.STABLE, replayed.state());
            assertEquals(again.memberId(), replayed.members().get(0).memberId());
        }
    }
}
