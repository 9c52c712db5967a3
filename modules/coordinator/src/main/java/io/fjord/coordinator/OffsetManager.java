package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.store.CoordinatorRecords;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Committed offsets: OffsetCommit (validated against the group), OffsetFetch, OffsetDelete,
 * retention, and the removal of a deleted topic's offsets from every group.
 *
 * <p>Offsets live in their group and change only by the replay of the records written for them,
 * once appended ({@link OffsetsTopic#write}), so a commit is visible exactly when it is answered
 * and a restart replays the same changes.
 *
 * <p>Callers have checked the group id and that the coordinator can answer for the group now.
 * Locking: as in {@link ClassicGroupManager}, an operation holds the group's monitor from the
 * moment it finds the group to its answer; retention and topic deletion lock one group at a time.
 */
final class OffsetManager {

    private final GroupCoordinatorConfig config;
    private final GroupRegistry groups;
    private final OffsetsTopic offsetsTopic;
    private final ClassicGroupRebalancer rebalancer;
    private final Time time;

    OffsetManager(GroupCoordinatorConfig config, GroupRegistry groups, OffsetsTopic offsetsTopic,
            ClassicGroupRebalancer rebalancer, Time time) {
        this.config = config;
        this.groups = groups;
        this.offsetsTopic = offsetsTopic;
        this.rebalancer = rebalancer;
        this.time = time;
    }

    // ---------------------------------------------------------------- OffsetCommit

    /**
     * OffsetCommit of partitions that exist: validated against the group (a generation of -1
     * with no member id is an admin or standalone commit, accepted while the group is Empty or
     * absent), written to the log and answered per partition once appended.
     */
    void commitOffsets(String groupId, String memberId, String instanceId, int generationId,
            Map<TopicPartition, PartitionOffset> offsets, Consumer<Map<TopicPartition, Errors>> callback) {
        String member = memberId == null ? "" : memberId;
        if (!isStandalone(member, instanceId, generationId)) {
            ClassicGroup group = groups.get(groupId);
            if (group == null) {
                callback.accept(allPartitions(offsets.keySet(), Errors.ILLEGAL_GENERATION));
            } else {
                commitLocked(group, member, instanceId, generationId, offsets, callback);
            }
            return;
        }
        // Retention or DeleteGroups may remove an Empty group between the lookup and the lock; a
        // standalone commit then goes to the group that replaces it, so it never fails for that.
        ClassicGroup group = groups.getOrCreate(groupId);
        while (!commitLocked(group, member, instanceId, generationId, offsets, callback)) {
            group = groups.getOrCreate(groupId); // the removed group left the registry under its lock
        }
    }

    private static boolean isStandalone(String memberId, String instanceId, int generationId) {
        return generationId < 0 && memberId.isEmpty() && instanceId == null;
    }

    /**
     * Validates and writes a commit under the group's lock.
     *
     * @return false, having answered nothing, when a standalone commit finds the group removed
     */
    private boolean commitLocked(ClassicGroup group, String member, String instanceId, int generationId,
            Map<TopicPartition, PartitionOffset> offsets, Consumer<Map<TopicPartition, Errors>> callback) {
        synchronized (group) {
            if (group.is(GroupState.DEAD) && isStandalone(member, instanceId, generationId)) {
                return false;
            }
            Errors invalid = validateOffsetCommit(group, member, instanceId, generationId);
            if (invalid != Errors.NONE) {
                callback.accept(allPartitions(offsets.keySet(), invalid));
                return true;
            }
            if (group.member(member) != null) {
                rebalancer.scheduleHeartbeat(group, group.member(member));
            }
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            List<CoordinatorRecords.Decoded> records = new ArrayList<>();
            long now = time.milliseconds();
            for (Map.Entry<TopicPartition, PartitionOffset> e : offsets.entrySet()) {
                PartitionOffset o = e.getValue();
                String metadata = o.metadata() == null ? "" : o.metadata();
                if (metadata.length() > config.offsetMetadataMaxBytes()) {
                    results.put(e.getKey(), Errors.OFFSET_METADATA_TOO_LARGE);
                } else {
                    records.add(new CoordinatorRecords.OffsetCommit(group.groupId(), e.getKey(),
                            new CommittedOffset(o.offset(), o.leaderEpoch(), metadata, now)));
                    results.put(e.getKey(), Errors.NONE);
                }
            }
            if (records.isEmpty()) {
                callback.accept(results);
                return true;
            }
            offsetsTopic.write(group, records, error -> {
                if (error != Errors.NONE) {
                    for (CoordinatorRecords.Decoded r : records) {
                        results.put(((CoordinatorRecords.OffsetCommit) r).partition(), error);
                    }
                }
                callback.accept(results);
            });
        }
        return true;
    }

    private static Errors validateOffsetCommit(ClassicGroup group, String memberId, String instanceId,
            int generationId) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (isStandalone(memberId, instanceId, generationId)) {
            return group.is(GroupState.EMPTY) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors invalid = group.validateMember(memberId, instanceId);
        if (invalid != Errors.NONE) {
            return invalid;
        }
        if (generationId != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        return group.is(GroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** {@code error} for each of {@code partitions}, in their order. */
    static Map<TopicPartition, Errors> allPartitions(Collection<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            results.put(tp, error);
        }
        return results;
    }

    // ---------------------------------------------------------------- OffsetFetch, OffsetDelete

    /**
     * OffsetFetch: the committed offsets of {@code partitions}, or of every partition with one
     * when {@code partitions} is null. Commits are visible only once appended, so every answer is
     * stable and {@code require_stable} needs no waiting (there are no transactional offsets).
     */
    OffsetFetchResult fetchOffsets(String groupId, List<TopicPartition> partitions) {
        Map<TopicPartition, CommittedOffset> result = new LinkedHashMap<>();
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (partitions != null) {
                for (TopicPartition tp : partitions) {
                    result.put(tp, null);
                }
            }
            return new OffsetFetchResult(Errors.NONE, result);
        }
        synchronized (group) {
            if (partitions == null) {
                group.offsets().keySet().stream().sorted().forEach(tp -> result.put(tp, group.offset(tp)));
            } else {
                for (TopicPartition tp : partitions) {
                    result.put(tp, group.offset(tp));
                }
            }
        }
        return new OffsetFetchResult(Errors.NONE, result);
    }

    /**
     * OffsetDelete: removes committed offsets (writing tombstones), except those of topics a
     * non-empty consumer group subscribes to.
     */
    void deleteOffsets(String groupId, List<TopicPartition> partitions, Consumer<OffsetDeleteResult> callback) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            callback.accept(new OffsetDeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of()));
            return;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                callback.accept(new OffsetDeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of()));
                return;
            }
            if (group.memberCount() > 0 && !ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
                callback.accept(new OffsetDeleteResult(Errors.NON_EMPTY_GROUP, Map.of()));
                return;
            }
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            List<CoordinatorRecords.Decoded> records = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (group.isSubscribedTo(tp.topic())) {
                    results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    results.put(tp, Errors.NONE);
                    if (group.offset(tp) != null) {
                        records.add(new CoordinatorRecords.OffsetCommit(groupId, tp, null));
                    }
                }
            }
            if (records.isEmpty()) {
                callback.accept(new OffsetDeleteResult(Errors.NONE, results));
                return;
            }
            offsetsTopic.write(group, records, error -> callback.accept(error == Errors.NONE
                    ? new OffsetDeleteResult(Errors.NONE, results) : new OffsetDeleteResult(error, Map.of())));
        }
    }

    // ---------------------------------------------------------------- retention and deleted topics

    /**
     * Removes committed offsets older than {@code offsets.retention.minutes}, by Kafka's rules:
     * in an Empty group all of them, counted from when the group became Empty (from the commit
     * for a group that never had members); in a Stable consumer group those of topics no member
     * subscribes to, counted from the commit. An Empty group left without offsets is deleted too.
     * Tombstones are written for everything removed. Groups of partitions still loading wait.
     *
     * @return the number of offsets removed
     */
    int cleanupExpiredOffsets() {
        long now = time.milliseconds();
        AtomicInteger removedCount = new AtomicInteger();
        for (ClassicGroup group : groups.all()) {
            synchronized (group) {
                boolean empty = group.is(GroupState.EMPTY);
                boolean stableConsumers = group.is(GroupState.STABLE)
                        && ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType());
                Set<String> subscribed = stableConsumers ? group.subscribedTopics() : null;
                if (!(empty || subscribed != null) || offsetsTopic.isLoading(group.groupId())) {
                    continue;
                }
                List<CoordinatorRecords.Decoded> records = new ArrayList<>();
                for (Map.Entry<TopicPartition, CommittedOffset> e : group.offsets().entrySet()) {
                    if (subscribed != null && subscribed.contains(e.getKey().topic())) {
                        continue;
                    }
                    long base = empty && group.protocolType() != null ? group.currentStateTimestamp()
                            : e.getValue().commitTimestamp();
                    if (now - base >= config.offsetsRetentionMs()) {
                        records.add(new CoordinatorRecords.OffsetCommit(group.groupId(), e.getKey(), null));
                    }
                }
                int expired = records.size();
                boolean deleteGroup = empty && expired == group.offsets().size();
                if (expired == 0 && !deleteGroup) {
                    continue;
                }
                if (deleteGroup) {
                    records.add(new CoordinatorRecords.GroupMetadata(group.groupId(), null));
                }
                offsetsTopic.write(group, records, error -> {
                    if (error == Errors.NONE) {
                        removedCount.addAndGet(expired);
                    } else {
                        ClassicGroupRebalancer.logWriteFailure(group, error);
                    }
                });
            }
        }
        return removedCount.get();
    }

    /**
     * Removes every group's committed offsets of a deleted topic, writing tombstones, as Kafka's
     * coordinator does: a topic created again under the same name starts without stale commits.
     *
     * @return the number of offsets removed
     */
    int onTopicDeleted(String topic) {
        AtomicInteger removedCount = new AtomicInteger();
        for (ClassicGroup group : groups.all()) {
            synchronized (group) {
                if (group.is(GroupState.DEAD)) {
                    continue;
                }
                List<CoordinatorRecords.Decoded> records = new ArrayList<>();
                for (TopicPartition tp : group.offsets().keySet()) {
                    if (tp.topic().equals(topic)) {
                        records.add(new CoordinatorRecords.OffsetCommit(group.groupId(), tp, null));
                    }
                }
                if (records.isEmpty()) {
                    continue;
                }
                offsetsTopic.write(group, records, error -> {
                    if (error == Errors.NONE) {
                        removedCount.addAndGet(records.size());
                    } else {
                        ClassicGroupRebalancer.logWriteFailure(group, error);
                    }
                });
            }
        }
        return removedCount.get();
    }
}
