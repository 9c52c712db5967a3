package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.store.CoordinatorRecords;
import io.fjord.protocol.record.RecordBatchBuilder;
import io.fjord.replication.Partition;
import io.fjord.replication.ReplicaManager;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code __consumer_offsets} as the coordinator sees it: whether it exists and with how many
 * partitions, which partitions are still being replayed, which partition holds a group, and the
 * writes of a group's records to that partition.
 *
 * <p>Invariants: the partition count is 0 exactly while the coordinator knows no offsets topic
 * (not created yet, or deleted since); loading partitions are below the partition count. Each
 * topic the coordinator comes to know is a new incarnation, so a load begun for a topic that was
 * deleted since publishes nothing.
 *
 * <p>Thread safety: the partition count and the loading set are read without a lock, also under
 * a group's monitor. Creating the topic, forgetting it and publishing a loaded partition
 * synchronize on this object and may take groups' monitors inside it; nothing takes this monitor
 * while holding a group's, so the two never deadlock.
 */
final class OffsetsTopic {

    static final String NAME = "__consumer_offsets";

    private final GroupCoordinatorConfig config;
    private final ReplicaManager replicaManager;
    private final OffsetsTopicCreator creator;
    private final GroupRegistry groups;
    private final Time time;
    private volatile int partitionCount;
    private final Set<Integer> loading = ConcurrentHashMap.newKeySet();
    /** In a cluster, the partitions this broker leads and so coordinates; unused on a single node. */
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile boolean clustered;
    /** Guarded by this object. */
    private int incarnation;

    OffsetsTopic(GroupCoordinatorConfig config, ReplicaManager replicaManager, OffsetsTopicCreator creator,
            GroupRegistry groups, Time time) {
        this.config = config;
        this.replicaManager = replicaManager;
        this.creator = creator;
        this.groups = groups;
        this.time = time;
    }

    /** Kafka's partition of a group: {@code Utils.abs(groupId.hashCode()) % partitions}. */
    static int partitionFor(String groupId, int partitions) {
        int h = groupId.hashCode();
        return (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % partitions;
    }

    // ---------------------------------------------------------------- existence and loading

    /**
     * Takes an existing topic of {@code partitions} partitions, every one of them to be loaded.
     *
     * @return its incarnation, for {@link #finishLoading}
     */
    synchronized int useExisting(int partitions) {
        partitionCount = partitions;
        for (int p = 0; p < partitions; p++) {
            loading.add(p);
        }
        return incarnation;
    }

    /** From now on only partitions this broker was elected for ({@link #elect}) are coordinated here. */
    void coordinateLedPartitionsOnly() {
        clustered = true;
    }

    /**
     * This broker became the leader of {@code partition} of a topic of {@code partitions}: its
     * groups are loaded and then coordinated here.
     *
     * @return the incarnation, for {@link #finishLoading}
     */
    synchronized int elect(int partition, int partitions) {
        if (partitionCount == 0) {
            partitionCount = partitions;
        }
        owned.add(partition);
        loading.add(partition);
        return incarnation;
    }

    /** This broker stopped leading {@code partition}: its groups are no longer coordinated here. */
    synchronized void resign(int partition) {
        owned.remove(partition);
        loading.remove(partition);
    }

    /** Whether {@code groupId} belongs to {@code partition}. */
    boolean holds(int partition, String groupId) {
        int n = partitionCount;
        return n > 0 && partitionFor(groupId, n) == partition;
    }

    /** The partitions still to be loaded, in order. */
    List<Integer> loadingPartitions() {
        return loading.stream().sorted().toList();
    }

    /** The offsets partition {@code partition}, or null when this broker does not lead it. */
    Partition partition(int partition) {
        return replicaManager.partition(new TopicPartition(NAME, partition));
    }

    /**
     * Ends the load of {@code partition}: {@code publish} runs, unless the topic loaded was
     * forgotten since, and the partition's groups are answered from then on.
     */
    synchronized void finishLoading(int partition, int loadedIncarnation, Runnable publish) {
        if (loadedIncarnation == incarnation) {
            publish.run();
            loading.remove(partition);
        }
    }

    /**
     * Forgets the topic, which was deleted: {@code unload} drops the groups' state, and the next
     * group request creates the topic again.
     *
     * <p>The broker calls this from its metadata listener, under its metadata store's lock, while
     * {@link #ensureCreated} calls the store under this monitor. They never wait for each other:
     * creation runs only while no offsets topic exists, and only an existing one is deleted.
     */
    synchronized void forget(Runnable unload) {
        partitionCount = 0;
        loading.clear();
        owned.clear();
        incarnation++;
        unload.run();
    }

    /**
     * The number of partitions, creating the topic on first use (and again after a deletion).
     *
     * @throws CoordinatorException with COORDINATOR_NOT_AVAILABLE when it cannot be created
     */
    int ensureCreated() {
        int n = partitionCount;
        if (n > 0) {
            return n;
        }
        synchronized (this) {
            if (partitionCount == 0) {
                partitionCount = creator.createIfAbsent();
            }
            return partitionCount;
        }
    }

    /** NONE if the group's partition exists and is loaded, else the error to answer with. */
    Errors status(String groupId) {
        int n;
        try {
            n = ensureCreated();
        } catch (CoordinatorException e) {
            return e.error();
        }
        int p = partitionFor(groupId, n);
        if (clustered && !owned.contains(p)) {
            return Errors.NOT_COORDINATOR;
        }
        return loading.contains(p) ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
    }

    /** Whether the topic exists as far as the coordinator knows. */
    boolean exists() {
        return partitionCount > 0;
    }

    /** Whether the group's partition is still being loaded. */
    boolean isLoading(String groupId) {
        int n = partitionCount;
        return n > 0 && loading.contains(partitionFor(groupId, n));
    }

    boolean anyLoading() {
        return !loading.isEmpty();
    }

    // ---------------------------------------------------------------- writes

    /**
     * Appends {@code records} of {@code group} as one batch and, once they are in the log,
     * replays them into the groups; then runs {@code done} with the outcome. A group that became
     * Dead while the write was in flight replays nothing: its tombstones follow these records in
     * the log, so the log and the memory agree.
     */
    void write(ClassicGroup group, List<CoordinatorRecords.Decoded> records, Consumer<Errors> done) {
        append(group, records, error -> {
            if (error == Errors.NONE && !group.is(GroupState.DEAD)) {
                records.forEach(groups::replay);
            }
            done.accept(error);
        });
    }

    /**
     * Appends the group's metadata as it is now. It is not replayed: it was made from the
     * in-memory group, which already says what it says.
     */
    void writeGroupMetadata(ClassicGroup group, Consumer<Errors> done) {
        append(group, List.of(new CoordinatorRecords.GroupMetadata(group.groupId(), group.toRecord())), done);
    }

    /**
     * Appends the records (a null value is a tombstone) as one batch to the group's partition
     * with acks=all and runs {@code done} with the outcome, mapped to the errors Kafka's
     * coordinator answers, under the group's monitor. The caller holds that monitor.
     */
    private void append(ClassicGroup group, List<CoordinatorRecords.Decoded> records, Consumer<Errors> done) {
        int n = partitionCount;
        if (n == 0) {
            // The topic was deleted: as an append to a partition that is gone.
            done.accept(appendError(Errors.UNKNOWN_TOPIC_OR_PARTITION));
            return;
        }
        TopicPartition tp = new TopicPartition(NAME, partitionFor(group.groupId(), n));
        RecordBatchBuilder builder = new RecordBatchBuilder(0);
        long now = time.milliseconds();
        for (CoordinatorRecords.Decoded record : records) {
            builder.append(now, key(record), value(record));
        }
        ByteBuffer batch = builder.build();
        replicaManager.appendRecords((short) -1, config.offsetsCommitTimeoutMs(), Map.of(tp, batch), results -> {
            Errors error = appendError(results.get(tp).error());
            synchronized (group) {
                done.accept(error);
            }
        });
    }

    private static byte[] key(CoordinatorRecords.Decoded record) {
        if (record instanceof CoordinatorRecords.OffsetCommit commit) {
            return CoordinatorRecords.offsetCommitKey(commit.groupId(), commit.partition());
        }
        return CoordinatorRecords.groupMetadataKey(record.groupId());
    }

    private static byte[] value(CoordinatorRecords.Decoded record) {
        if (record instanceof CoordinatorRecords.OffsetCommit commit) {
            return commit.offset() == null ? null : CoordinatorRecords.offsetCommitValue(commit.offset());
        }
        CoordinatorRecords.GroupMetadata metadata = (CoordinatorRecords.GroupMetadata) record;
        return metadata.value() == null ? null : CoordinatorRecords.groupMetadataValue(metadata.value());
    }

    /** Kafka's mapping of a failed append to the offsets topic onto a coordinator error. */
    static Errors appendError(Errors error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                    REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }
}
