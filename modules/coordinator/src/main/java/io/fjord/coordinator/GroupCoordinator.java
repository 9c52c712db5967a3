package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.Scheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.replication.ReplicaManager;
import io.fjord.timer.Timer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The group coordinator of this broker for every group (one node leads every partition of
 * {@code __consumer_offsets}): a facade over the {@link ClassicGroupManager} (join, sync,
 * heartbeat, leave, list, describe, delete) and the {@link OffsetManager} (commit, fetch, delete,
 * retention). Every call has one shape: check the group id and whether this coordinator can
 * answer for the group now ({@link #availability}), answer that error if not, else hand the call
 * to its manager.
 *
 * <p>State changes reach memory one way: records are appended to the group's partition of
 * {@code __consumer_offsets} and then replayed ({@link GroupRegistry#replay}), the same replay
 * the loader runs over each partition at start-up. Each group is locked on its own monitor for
 * the whole of an operation, so operations on one group are serialised and different groups never
 * contend; writes are made under that lock (log order is the order of the in-memory changes) and
 * answered once appended with acks=all; with one node the append completes on the calling
 * thread. A join or sync that must wait is parked on its member and answered by whichever thread
 * completes the phase: another member's request, the leader's sync, or the timer. No call waits.
 *
 * <p>Lifecycle: {@link #startup} replays the existing offsets partitions in the background
 * (their groups answer COORDINATOR_LOAD_IN_PROGRESS meanwhile) and schedules offset retention;
 * {@link #shutdown} answers every parked request with NOT_COORDINATOR, as Kafka does when a
 * coordinator resigns, and refuses later ones the same way. It writes nothing: every commit was
 * appended before it was answered. If {@code __consumer_offsets} is deleted, the coordinator
 * drops its groups the same way and creates the topic again on the next group request.
 */
public final class GroupCoordinator {

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());
    static final String OFFSETS_TOPIC = OffsetsTopic.NAME;

    private final GroupCoordinatorConfig config;
    private final PartitionExistence partitionExistence;
    private final Time time;
    private final Timer timer;
    private final Scheduler scheduler;
    private final GroupRegistry groups;
    private final OffsetsTopic offsetsTopic;
    private final ClassicGroupRebalancer rebalancer;
    private final ClassicGroupManager groupManager;
    private final OffsetManager offsetManager;
    private volatile boolean active = true;
    private final List<Scheduler.Cancellable> jobs = new ArrayList<>();
    private Thread reaper;

    /**
     * @param topicCreator creates {@code __consumer_offsets} on first use
     * @param partitionExistence whether a partition an offset is committed for exists
     * @param timer the timing wheel for session, rebalance and sync deadlines; its clock must
     *     advance with {@code time} (tests drive both by hand)
     * @param scheduler runs the replay of offsets partitions and the retention check
     */
    public GroupCoordinator(GroupCoordinatorConfig config, ReplicaManager replicaManager,
            OffsetsTopicCreator topicCreator, PartitionExistence partitionExistence, Time time, Timer timer,
            Scheduler scheduler) {
        this.config = config;
        this.partitionExistence = partitionExistence;
        this.time = time;
        this.timer = timer;
        this.scheduler = scheduler;
        this.groups = new GroupRegistry(time);
        this.offsetsTopic = new OffsetsTopic(config, replicaManager, topicCreator, groups, time);
        this.rebalancer = new ClassicGroupRebalancer(config, offsetsTopic, time, timer, () -> active);
        this.groupManager = new ClassicGroupManager(config, groups, offsetsTopic, rebalancer, time);
        this.offsetManager = new OffsetManager(config, groups, offsetsTopic, rebalancer, time);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts serving: replays the {@code existingPartitions} partitions of an existing offsets
     * topic in the background (none: the topic is created on first use) and schedules the
     * retention check every {@code offsets.retention.check.interval.ms}.
     */
    public synchronized void startup(int existingPartitions) {
        if (existingPartitions > 0) {
            int incarnation = offsetsTopic.useExisting(existingPartitions);
            jobs.add(scheduler.schedule("offsets-load", () -> loadAll(incarnation), 0, 0));
        }
        jobs.add(scheduler.schedule("offsets-retention", this::cleanupExpiredOffsets,
                config.offsetsRetentionCheckIntervalMs(), config.offsetsRetentionCheckIntervalMs()));
    }

    /**
     * Starts serving as a member of a cluster: only the offsets partitions this broker leads are
     * coordinated here, each loaded when the broker is elected its leader ({@link #onElection})
     * and dropped when it resigns ({@link #onResignation}).
     */
    public synchronized void startupInCluster() {
        offsetsTopic.coordinateLedPartitionsOnly();
        jobs.add(scheduler.schedule("offsets-retention", this::cleanupExpiredOffsets,
                config.offsetsRetentionCheckIntervalMs(), config.offsetsRetentionCheckIntervalMs()));
    }

    /** This broker leads {@code partition} of a {@code partitions}-partition offsets topic now: load its groups. */
    public void onElection(int partition, int partitions) {
        int incarnation = offsetsTopic.elect(partition, partitions);
        scheduler.schedule("offsets-load-" + partition, () -> {
            GroupRegistry loaded = load(partition);
            offsetsTopic.finishLoading(partition, incarnation, () -> rebalancer.startSessions(groups.adopt(loaded)));
        }, 0, 0);
    }

    /** This broker no longer leads {@code partition}: its groups are answered NOT_COORDINATOR from now on. */
    public void onResignation(int partition) {
        offsetsTopic.resign(partition);
        groupManager.unload(groupId -> offsetsTopic.holds(partition, groupId));
    }

    /** Runs the timer's expirations on a daemon thread of its own until {@link #shutdown}. */
    public synchronized void startTimerReaper() {
        reaper = new Thread(() -> {
            try {
                while (active) {
                    timer.advanceClock(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fjord-group-coordinator-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    /** Answers every parked join and sync with NOT_COORDINATOR and stops; idempotent. */
    public synchronized void shutdown() throws InterruptedException {
        if (!active) {
            return;
        }
        active = false;
        for (Scheduler.Cancellable job : jobs) {
            job.cancel();
        }
        groupManager.answerAllParked(Errors.NOT_COORDINATOR);
        timer.close();
        if (reaper != null) {
            reaper.join(5_000);
        }
    }

    /**
     * Replays each offsets partition into a registry of its own and adopts its groups once the
     * whole partition is read; until then the partition's groups are not answered.
     */
    private void loadAll(int incarnation) {
        for (int p : offsetsTopic.loadingPartitions()) {
            if (!active) {
                return;
            }
            GroupRegistry loaded = load(p);
            offsetsTopic.finishLoading(p, incarnation, () -> rebalancer.startSessions(groups.adopt(loaded)));
        }
    }

    /** The groups of one offsets partition, replayed from its log; none if it cannot be read. */
    private GroupRegistry load(int partition) {
        GroupRegistry loaded = new GroupRegistry(time);
        long start = System.nanoTime();
        try {
            new GroupLoader(offsetsTopic.partition(partition), config.offsetsLoadBufferSize()).load(loaded::replay);
            // Kafka's line, which operators watch: replay time follows the log's size.
            LOG.log(System.Logger.Level.INFO, "Finished loading offsets and group metadata from __consumer_offsets-"
                    + partition + " in " + (System.nanoTime() - start) / 1_000_000 + " milliseconds");
            return loaded;
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.ERROR, "Loading partition " + partition + " of __consumer_offsets failed;"
                    + " its groups start empty", e);
            return new GroupRegistry(time);
        }
    }

    // ---------------------------------------------------------------- placement and availability

    /** Kafka's partition of a group: {@code Utils.abs(groupId.hashCode()) % partitions}. */
    public static int partitionFor(String groupId, int partitions) {
        return OffsetsTopic.partitionFor(groupId, partitions);
    }

    /**
     * FindCoordinator for a group: creates {@code __consumer_offsets} on first use and says
     * whether this broker can coordinate the group (it can, unless the topic cannot be created).
     *
     * @return NONE, COORDINATOR_NOT_AVAILABLE or NOT_COORDINATOR (after shutdown)
     */
    public Errors findCoordinator(String groupId) {
        if (!active) {
            return Errors.NOT_COORDINATOR;
        }
        try {
            offsetsTopic.ensureCreated();
            return Errors.NONE;
        } catch (CoordinatorException e) {
            return e.error();
        }
    }

    /**
     * NONE if this coordinator can answer for the group now, else the error to answer with:
     * INVALID_GROUP_ID, NOT_COORDINATOR (after shutdown), COORDINATOR_NOT_AVAILABLE (the offsets
     * topic cannot be created) or COORDINATOR_LOAD_IN_PROGRESS.
     */
    private Errors availability(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (!active) {
            return Errors.NOT_COORDINATOR;
        }
        return offsetsTopic.status(groupId);
    }

    // ---------------------------------------------------------------- group membership

    /** JoinGroup: answers through {@code callback} now or when the join phase completes. */
    public void joinGroup(JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        Errors error = availability(req.groupId());
        if (error != Errors.NONE) {
            callback.accept(JoinGroupResult.error(error, req.memberId()));
            return;
        }
        groupManager.joinGroup(req, callback);
    }

    /**
     * SyncGroup: the leader's assignments are written to the log with the group's metadata, then
     * every member parked in this phase gets its own; followers wait until then.
     *
     * <p>Ownership: the assignment arrays are kept; the caller hands over copies.
     */
    public void syncGroup(String groupId, int generationId, String memberId, String instanceId,
            Map<String, byte[]> assignments, Consumer<SyncGroupResult> callback) {
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            callback.accept(SyncGroupResult.error(error));
            return;
        }
        groupManager.syncGroup(groupId, generationId, memberId, instanceId, assignments, callback);
    }

    /** Heartbeat: keeps the member's session and tells it whether to rejoin. */
    public Errors heartbeat(String groupId, String memberId, String instanceId, int generationId) {
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            return error;
        }
        return groupManager.heartbeat(groupId, memberId, instanceId, generationId);
    }

    /** LeaveGroup for one or more members (v3+ batches them; older versions send one). */
    public LeaveGroupResult leaveGroup(String groupId, List<MemberIdentity> leaving) {
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            return new LeaveGroupResult(error, List.of());
        }
        return groupManager.leaveGroup(groupId, leaving);
    }

    // ---------------------------------------------------------------- offsets

    /**
     * OffsetCommit: validated against the group (a generation of -1 with no member id is an admin
     * or standalone commit, accepted while the group is Empty or absent), written to the log and
     * answered per partition once appended. A partition that does not exist is answered
     * UNKNOWN_TOPIC_OR_PARTITION whatever the group, as Kafka's broker does before its
     * coordinator sees the request; nothing is stored for it.
     */
    public void commitOffsets(String groupId, String memberId, String instanceId, int generationId,
            Map<TopicPartition, PartitionOffset> offsets, Consumer<Map<TopicPartition, Errors>> callback) {
        Map<TopicPartition, PartitionOffset> existing = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> {
            if (partitionExistence.exists(tp)) {
                existing.put(tp, offset);
            }
        });
        Consumer<Map<TopicPartition, Errors>> answer = existing.size() == offsets.size() ? callback
                : results -> callback.accept(withUnknownPartitions(offsets.keySet(), results));
        if (existing.isEmpty()) {
            answer.accept(Map.of());
            return;
        }
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            answer.accept(OffsetManager.allPartitions(existing.keySet(), error));
            return;
        }
        offsetManager.commitOffsets(groupId, memberId, instanceId, generationId, existing, answer);
    }

    /** The answer to every requested partition, in request order: those not answered did not exist. */
    private static Map<TopicPartition, Errors> withUnknownPartitions(Set<TopicPartition> requested,
            Map<TopicPartition, Errors> results) {
        Map<TopicPartition, Errors> all = new LinkedHashMap<>();
        for (TopicPartition tp : requested) {
            all.put(tp, results.getOrDefault(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return all;
    }

    /**
     * OffsetFetch: the committed offsets of {@code partitions}, or of every partition with one
     * when {@code partitions} is null. Commits are visible only once appended, so every answer is
     * stable and {@code require_stable} needs no waiting (there are no transactional offsets).
     */
    public OffsetFetchResult fetchOffsets(String groupId, List<TopicPartition> partitions) {
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            return new OffsetFetchResult(error, Map.of());
        }
        return offsetManager.fetchOffsets(groupId, partitions);
    }

    /**
     * OffsetDelete: removes committed offsets (writing tombstones), except those of topics a
     * non-empty consumer group subscribes to.
     */
    public void deleteOffsets(String groupId, List<TopicPartition> partitions, Consumer<OffsetDeleteResult> callback) {
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            callback.accept(new OffsetDeleteResult(error, Map.of()));
            return;
        }
        offsetManager.deleteOffsets(groupId, partitions, callback);
    }

    /**
     * Removes committed offsets older than {@code offsets.retention.minutes}, by Kafka's rules
     * (see {@link OffsetManager#cleanupExpiredOffsets}), writing tombstones.
     *
     * @return the number of offsets removed
     */
    public int cleanupExpiredOffsets() {
        if (!active || !offsetsTopic.exists()) {
            return 0;
        }
        return offsetManager.cleanupExpiredOffsets();
    }

    /**
     * A topic was deleted. Every group's committed offsets of it are removed, writing tombstones,
     * as Kafka's coordinator does: a topic created again under the same name starts without stale
     * commits. If it was {@code __consumer_offsets} itself, the coordinator drops every group,
     * as Kafka's does for partitions it no longer leads (parked requests are answered
     * NOT_COORDINATOR), and the next group request creates the topic again.
     *
     * @return the number of offsets removed (for {@code __consumer_offsets}: 0)
     */
    public int onTopicDeleted(String topic) {
        if (!active || !offsetsTopic.exists()) {
            return 0;
        }
        if (topic.equals(OFFSETS_TOPIC)) {
            offsetsTopic.forget(groupManager::unloadAll);
            return 0;
        }
        return offsetManager.onTopicDeleted(topic);
    }

    // ---------------------------------------------------------------- admin

    /** ListGroups, optionally only those in {@code states} (empty: all). */
    public ListGroupsResult listGroups(Set<GroupState> states) {
        if (!active) {
            return new ListGroupsResult(Errors.NOT_COORDINATOR, List.of());
        }
        List<GroupOverview> list = groupManager.listGroups(states);
        Errors error = offsetsTopic.anyLoading() ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
        return new ListGroupsResult(error, list);
    }

    /** DescribeGroups for one group; an unknown group is described as Dead. */
    public GroupDescription describeGroup(String groupId) {
        Errors error = availability(groupId);
        if (error != Errors.NONE) {
            return new GroupDescription(error, groupId, GroupState.DEAD, "", "", List.of());
        }
        return groupManager.describeGroup(groupId);
    }

    /**
     * DeleteGroups: each Empty group loses its offsets and metadata (tombstones) and becomes Dead.
     * Answers once every group's tombstones are appended.
     */
    public void deleteGroups(List<String> groupIds, Consumer<Map<String, Errors>> callback) {
        groupManager.deleteGroups(groupIds, this::availability, callback);
    }

    /** The states a ListGroups filter names, ignoring unknown names as Kafka does. */
    public static Set<GroupState> statesFilter(List<String> names) {
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        if (names != null) {
            for (String n : names) {
                GroupState s = GroupState.forKafkaName(n);
                if (s != null) {
                    states.add(s);
                }
            }
        }
        return states;
    }
}
