package io.fjord.coordinator;

import static io.fjord.coordinator.CoordinatorHarness.bytes;
import static io.fjord.coordinator.CoordinatorHarness.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.store.CoordinatorRecords;
import io.fjord.log.FileSlice;
import io.fjord.log.PartitionLog;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.RecordBatchIterator;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Committed offsets: commit, fetch, the records in the log, replay after a restart, deletion and retention. */
class OffsetStoreTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final TopicPartition OTHER = new TopicPartition("other", 0);
    private static final int SESSION = 10_000;

    @TempDir
    Path dir;

    private CoordinatorHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static Map<TopicPartition, PartitionOffset> offsets(Object... partitionsAndOffsets) {
        Map<TopicPartition, PartitionOffset> map = new LinkedHashMap<>();
        for (int i = 0; i < partitionsAndOffsets.length; i += 2) {
            map.put((TopicPartition) partitionsAndOffsets[i],
                    new PartitionOffset((Long) partitionsAndOffsets[i + 1], 4, "md"));
        }
        return map;
    }

    private CommittedOffset fetch(String group, TopicPartition tp) {
        OffsetFetchResult r = h.coordinator.fetchOffsets(group, List.of(tp));
        assertEquals(Errors.NONE, r.error());
        return r.offsets().get(tp);
    }

    /** A one-member consumer group, Stable, whose subscription (Kafka's own encoding) names {@code topics}. */
    private String[] consumerGroup(String group, String... topics) {
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(
                new ConsumerPartitionAssignor.Subscription(Arrays.asList(topics)));
        byte[] metadata = new byte[subscription.remaining()];
        subscription.get(metadata);
        List<JoinProtocol> protocols = List.of(new JoinProtocol("range", metadata));
        String id = h.join(join(group, "", null, SESSION, 5000, protocols)).get().memberId();
        JoinGroupResult joined = h.join(join(group, id, null, SESSION, 5000, protocols)).get();
        assertEquals(Errors.NONE, joined.error());
        AtomicReference<SyncGroupResult> sync = h.sync(group, joined.generationId(), id, null,
                Map.of(id, bytes("assigned")));
        assertEquals(Errors.NONE, sync.get().error());
        return new String[] {id, Integer.toString(joined.generationId())};
    }

    @Test
    void adminCommitsAndFetches() throws Exception {
        h = new CoordinatorHarness(dir, Map.of());
        assertEquals(Map.of(T0, Errors.NONE, T1, Errors.NONE), h.commit("g", "", -1, offsets(T0, 10L, T1, 20L)));
        CommittedOffset t0 = fetch("g", T0);
        assertEquals(10, t0.offset());
        assertEquals(4, t0.leaderEpoch());
        assertEquals("md", t0.metadata());
        assertEquals(h.time.milliseconds(), t0.commitTimestamp());
        assertNull(fetch("g", OTHER), "no commit: no offset");
        assertNull(fetch("unknown-group", T0));
        assertEquals(List.of(T0, T1), new ArrayList<>(h.coordinator.fetchOffsets("g", null).offsets().keySet()));
        assertTrue(h.coordinator.fetchOffsets("unknown-group", null).offsets().isEmpty());
        assertEquals(Errors.INVALID_GROUP_ID, h.coordinator.fetchOffsets("", null).error());

        h.commit("g", "", -1, offsets(T0, 11L));
        assertEquals(11, fetch("g", T0).offset(), "the latest commit wins");
    }

    @Test
    void commitsAreValidatedAgainstTheGroup() throws Exception {
        h = new CoordinatorHarness(dir, Map.of("group.initial.rebalance.delay.ms", "0",
                "offset.metadata.max.bytes", "8"));
        String[] member = consumerGroup("g", "t");
        int gen = Integer.parseInt(member[1]);
        assertEquals(Map.of(T0, Errors.NONE), h.commit("g", member[0], gen, offsets(T0, 1L)));
        assertEquals(Map.of(T0, Errors.ILLEGAL_GENERATION), h.commit("g", member[0], gen + 1, offsets(T0, 2L)));
        assertEquals(Map.of(T0, Errors.UNKNOWN_MEMBER_ID), h.commit("g", "nobody", gen, offsets(T0, 2L)));
        assertEquals(Map.of(T0, Errors.UNKNOWN_MEMBER_ID), h.commit("g", "", -1, offsets(T0, 2L)),
                "an admin commit to a group with members");
        assertEquals(Map.of(T0, Errors.ILLEGAL_GENERATION), h.commit("absent", "m", 3, offsets(T0, 2L)));
        assertEquals(Map.of(T0, Errors.INVALID_GROUP_ID), h.commit("", "", -1, offsets(T0, 2L)));
        Map<TopicPartition, PartitionOffset> mixed = new LinkedHashMap<>();
        mixed.put(T0, new PartitionOffset(5, -1, "12345678"));
        mixed.put(T1, new PartitionOffset(6, -1, "123456789"));
        assertEquals(Map.of(T0, Errors.NONE, T1, Errors.OFFSET_METADATA_TOO_LARGE), h.commit("g", member[0], gen, mixed));
        assertEquals(5, fetch("g", T0).offset());
        assertNull(fetch("g", T1));
        assertEquals(-1, fetch("g", T0).leaderEpoch(), "a missing leader epoch stays -1");

        // While the group completes a rebalance, a commit of the new generation is refused.
        JoinGroupResult rejoined = h.join(join("g", member[0], null, SESSION, 5000,
                List.of(new JoinProtocol("range", bytes("changed"))))).get();
        assertEquals(Errors.NONE, rejoined.error());
        assertEquals(Map.of(T0, Errors.REBALANCE_IN_PROGRESS),
                h.commit("g", member[0], rejoined.generationId(), offsets(T0, 9L)));
    }

    @Test
    void commitsOfPartitionsThatDoNotExistAreAnsweredUnknownAndNotStored() throws Exception {
        h = new CoordinatorHarness(dir, Map.of("group.initial.rebalance.delay.ms", "0"));
        TopicPartition beyondTheTopic = new TopicPartition("t", 2);
        TopicPartition missing = new TopicPartition("missing", 0);
        Map<TopicPartition, Errors> expected = new LinkedHashMap<>();
        expected.put(T0, Errors.NONE);
        expected.put(beyondTheTopic, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        expected.put(missing, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        Map<TopicPartition, Errors> answered = h.commit("g", "", -1, offsets(T0, 1L, beyondTheTopic, 2L, missing, 3L));
        assertEquals(expected, answered);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(answered.keySet()), "answered in request order");
        assertEquals(List.of(T0), new ArrayList<>(h.coordinator.fetchOffsets("g", null).offsets().keySet()));

        assertEquals(Map.of(missing, Errors.UNKNOWN_TOPIC_OR_PARTITION), h.commit("new", "", -1, offsets(missing, 1L)));
        assertEquals(GroupState.DEAD, h.coordinator.describeGroup("new").state(), "no group was made for it");
        assertEquals(Map.of(missing, Errors.UNKNOWN_TOPIC_OR_PARTITION), h.commit("", "", -1, offsets(missing, 1L)),
                "checked before the group, as Kafka's broker does");

        String[] member = consumerGroup("live", "t");
        assertEquals(Map.of(T1, Errors.NONE, missing, Errors.UNKNOWN_TOPIC_OR_PARTITION),
                h.commit("live", member[0], Integer.parseInt(member[1]), offsets(T1, 4L, missing, 5L)));
        assertNull(fetch("live", missing));

        h.topics.put("missing", 1);
        assertEquals(Map.of(missing, Errors.NONE), h.commit("g", "", -1, offsets(missing, 6L)), "once created, it is");
        assertEquals(6, fetch("g", missing).offset());
    }

    @Test
    void commitsAreKafkaRecordsInTheGroupsPartition() throws Exception {
        h = new CoordinatorHarness(dir, Map.of());
        h.commit("g", "", -1, offsets(T0, 10L));
        int partition = GroupCoordinator.partitionFor("g", CoordinatorHarness.PARTITIONS);
        PartitionLog log = h.replicaManager.partition(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, partition)).log();
        FileSlice slice = log.read(0, 1 << 20, log.highWatermark(), true);
        RecordBatchIterator batches = new RecordBatchIterator(slice.readAll());
        RecordBatchView batch = batches.next();
        RecordCursor record = batch.records();
        assertTrue(record.next());
        assertEquals(ByteBuffer.wrap(CoordinatorRecords.offsetCommitKey("g", T0)), record.key());
        assertEquals(ByteBuffer.wrap(CoordinatorRecords.offsetCommitValue(new CommittedOffset(10, 4, "md",
                h.time.milliseconds()))), record.value());
    }

    @Test
    void aRestartReplaysOffsetsTombstonesAndGroups() throws Exception {
        h = new CoordinatorHarness(dir, Map.of("group.initial.rebalance.delay.ms", "0"));
        h.commit("admin-group", "", -1, offsets(T0, 10L, T1, 20L, OTHER, 30L));
        h.commit("admin-group", "", -1, offsets(T0, 11L));
        AtomicReference<OffsetDeleteResult> deleted = new AtomicReference<>();
        h.coordinator.deleteOffsets("admin-group", List.of(T1), deleted::set);
        assertEquals(Map.of(T1, Errors.NONE), deleted.get().partitions());
        String[] member = consumerGroup("live", "t");
        h.commit("live", member[0], Integer.parseInt(member[1]), offsets(T0, 7L));
        h.commit("gone", "", -1, offsets(T0, 1L));
        AtomicReference<Map<String, Errors>> groupsDeleted = new AtomicReference<>();
        h.coordinator.deleteGroups(List.of("gone"), groupsDeleted::set);
        assertEquals(Map.of("gone", Errors.NONE), groupsDeleted.get());

        h.restart();
        assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS, h.coordinator.fetchOffsets("admin-group", null).error());
        assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS, h.coordinator.heartbeat("live", member[0], null, 1));
        h.load();
        assertEquals(11, fetch("admin-group", T0).offset());
        assertNull(fetch("admin-group", T1), "the tombstone was replayed");
        assertEquals(30, fetch("admin-group", OTHER).offset());
        assertEquals(7, fetch("live", T0).offset());
        assertNull(fetch("gone", T0));
        assertEquals(GroupState.DEAD, h.coordinator.describeGroup("gone").state());

        GroupDescription live = h.coordinator.describeGroup("live");
        assertEquals(GroupState.STABLE, live.state());
        assertEquals(1, live.members().size());
        assertEquals(member[0], live.members().get(0).memberId());
        assertArrayEquals(bytes("assigned"), live.members().get(0).assignment());
        int gen = Integer.parseInt(member[1]);
        assertEquals(Errors.NONE, h.coordinator.heartbeat("live", member[0], null, gen), "the member is back");
        assertEquals(Map.of(T0, Errors.NONE), h.commit("live", member[0], gen, offsets(T0, 8L)));
        h.advance(SESSION);
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat("live", member[0], null, gen),
                "a restored member that stays silent expires");
    }

    @Test
    void retentionRemovesOffsetsOfEmptyGroupsAndUnsubscribedTopics() throws Exception {
        h = new CoordinatorHarness(dir, Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.retention.minutes", "1", "group.max.session.timeout.ms", "600000"));
        h.commit("idle", "", -1, offsets(T0, 10L));
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(
                new ConsumerPartitionAssignor.Subscription(List.of("t")));
        byte[] metadata = new byte[subscription.remaining()];
        subscription.get(metadata);
        List<JoinProtocol> protocols = List.of(new JoinProtocol("range", metadata));
        String id = h.join(join("busy", "", null, 300_000, 5000, protocols)).get().memberId();
        JoinGroupResult joined = h.join(join("busy", id, null, 300_000, 5000, protocols)).get();
        h.sync("busy", joined.generationId(), id, null, Map.of());
        h.commit("busy", id, joined.generationId(), offsets(T0, 20L, OTHER, 21L));

        h.advance(59_999);
        assertEquals(0, h.coordinator.cleanupExpiredOffsets());
        assertEquals(10, fetch("idle", T0).offset());
        h.advance(1);
        assertEquals(2, h.coordinator.cleanupExpiredOffsets());
        assertNull(fetch("idle", T0));
        assertEquals(GroupState.DEAD, h.coordinator.describeGroup("idle").state(), "no offsets, no members: gone");
        assertEquals(20, fetch("busy", T0).offset(), "a Stable group keeps the offsets of its subscription");
        assertNull(fetch("busy", OTHER), "but not those of a topic no member subscribes to");
        assertEquals(GroupState.STABLE, h.coordinator.describeGroup("busy").state());

        h.restart();
        h.load();
        assertNull(fetch("idle", T0), "the expiry was written as tombstones");
        assertEquals(20, fetch("busy", T0).offset());
    }

    @Test
    void aDeletedTopicLosesItsOffsetsInEveryGroup() throws Exception {
        h = new CoordinatorHarness(dir, Map.of());
        h.commit("a", "", -1, offsets(T0, 1L, T1, 2L, OTHER, 3L));
        h.commit("b", "", -1, offsets(T1, 4L));
        h.commit("c", "", -1, offsets(OTHER, 5L));
        assertEquals(3, h.coordinator.onTopicDeleted("t"));
        assertNull(fetch("a", T0));
        assertNull(fetch("a", T1));
        assertNull(fetch("b", T1));
        assertEquals(3, fetch("a", OTHER).offset());
        assertEquals(5, fetch("c", OTHER).offset());
        assertEquals(0, h.coordinator.onTopicDeleted("t"), "nothing left to remove");
        h.restart();
        h.load();
        assertNull(fetch("a", T0), "the tombstones were written");
        assertEquals(3, fetch("a", OTHER).offset());
    }

    @Test
    void deleteGroupsAndOffsetDeleteFollowKafkasRules() throws Exception {
        h = new CoordinatorHarness(dir, Map.of("group.initial.rebalance.delay.ms", "0"));
        String[] member = consumerGroup("live", "t");
        h.commit("empty", "", -1, offsets(T0, 1L));
        AtomicReference<Map<String, Errors>> result = new AtomicReference<>();
        h.coordinator.deleteGroups(List.of("live", "absent", "empty", ""), result::set);
        Map<String, Errors> expected = new LinkedHashMap<>();
        expected.put("live", Errors.NON_EMPTY_GROUP);
        expected.put("absent", Errors.GROUP_ID_NOT_FOUND);
        expected.put("empty", Errors.NONE);
        expected.put("", Errors.INVALID_GROUP_ID);
        assertEquals(expected, result.get());
        assertEquals(List.of("live"), h.coordinator.listGroups(Set.of()).groups().stream()
                .map(GroupOverview::groupId).toList());

        AtomicReference<OffsetDeleteResult> deleted = new AtomicReference<>();
        assertEquals(Map.of(OTHER, Errors.NONE), h.commit("live", member[0], Integer.parseInt(member[1]),
                offsets(OTHER, 3L)));
        h.coordinator.deleteOffsets("live", List.of(T0, OTHER), deleted::set);
        assertEquals(Errors.NONE, deleted.get().error());
        assertEquals(Map.of(T0, Errors.GROUP_SUBSCRIBED_TO_TOPIC, OTHER, Errors.NONE), deleted.get().partitions());
        h.coordinator.deleteOffsets("absent", List.of(T0), deleted::set);
        assertEquals(Errors.GROUP_ID_NOT_FOUND, deleted.get().error());
    }

    @Test
    void concurrentCommitsFetchesAndListingsKeepEachGroupsLastOffset() throws Exception {
        h = new CoordinatorHarness(dir, Map.of());
        int threads = 4;
        int commits = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String group = "group-" + t;
                work.add(pool.submit(() -> {
                    for (long i = 1; i <= commits; i++) {
                        Map<TopicPartition, Errors> r = h.commit(group, "", -1, offsets(T0, i, T1, i * 2));
                        assertEquals(Map.of(T0, Errors.NONE, T1, Errors.NONE), r);
                        assertEquals(i, h.coordinator.fetchOffsets(group, List.of(T0)).offsets().get(T0).offset(),
                                "a commit is visible once answered");
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < commits; i++) {
                    assertEquals(Errors.NONE, h.coordinator.listGroups(Set.of()).error());
                    h.coordinator.describeGroup("group-" + (i % threads));
                    h.coordinator.cleanupExpiredOffsets();
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        h.restart();
        h.load();
        for (int t = 0; t < threads; t++) {
            assertEquals(commits, fetch("group-" + t, T0).offset());
            assertEquals(2L * commits, fetch("group-" + t, T1).offset());
        }
    }
}
