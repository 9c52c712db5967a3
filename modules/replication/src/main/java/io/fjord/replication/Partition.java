package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.log.FileSlice;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.PartitionLog;
import io.fjord.common.errors.Errors;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One partition hosted by this broker, as its leader or as a follower: its log, its leader epoch,
 * its in-sync replicas and its high watermark.
 *
 * <p>Invariants: {@code logStartOffset <= highWatermark <= logEndOffset}; while leader, the ISR
 * holds this node. Until followers replicate, every successful append moves the high watermark to
 * the log end offset before {@link #appendRecordsToLeader} returns: consumers see a batch as soon
 * as its producer is answered, never earlier. A follower refuses appends and consumer reads with
 * NOT_LEADER_OR_FOLLOWER.
 *
 * <p>Thread safety: appends are serialised by the log; reads are lock-free. The role is one
 * volatile reference, so a leadership change applies whole to the next append or read.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final int nodeId;
    private volatile Role role;
    private volatile int minInsyncReplicas;

    /** The partition's leadership as this broker last applied it. */
    private record Role(boolean leader, int leaderEpoch, List<Integer> isr) {
    }

    /**
     * @param nodeId this broker, the leader and only in-sync replica
     * @param leaderEpoch the epoch stamped into every appended batch
     * @param minInsyncReplicas the topic's {@code min.insync.replicas}
     */
    public Partition(TopicPartition topicPartition, PartitionLog log, int nodeId, int leaderEpoch,
            int minInsyncReplicas) {
        this.topicPartition = topicPartition;
        this.log = log;
        this.nodeId = nodeId;
        this.role = new Role(true, leaderEpoch, List.of(nodeId));
        this.minInsyncReplicas = minInsyncReplicas;
        // After a restart the checkpointed high watermark may lag: with one replica everything
        // in the log is committed.
        log.updateHighWatermark(log.logEndOffset());
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public PartitionLog log() {
        return log;
    }

    public int leaderEpoch() {
        return role.leaderEpoch();
    }

    /** Whether this broker leads the partition. */
    public boolean isLeader() {
        return role.leader();
    }

    /** The in-sync replicas, as the controller last told them. */
    public List<Integer> inSyncReplicas() {
        return role.isr();
    }

    /** Becomes the leader at {@code leaderEpoch} with the ISR the controller chose. */
    public void makeLeader(int leaderEpoch, List<Integer> isr) {
        role = new Role(true, leaderEpoch, isr.contains(nodeId) ? List.copyOf(isr) : List.of(nodeId));
        log.updateHighWatermark(log.logEndOffset());
    }

    /** Becomes a follower at {@code leaderEpoch}: appends and consumer reads are refused from now on. */
    public void makeFollower(int leaderEpoch, List<Integer> isr) {
        role = new Role(false, leaderEpoch, List.copyOf(isr));
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Applies a changed {@code min.insync.replicas} to later appends. */
    public void updateMinInsyncReplicas(int value) {
        this.minInsyncReplicas = value;
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    /** Without transactions the last stable offset is the high watermark. */
    public long lastStableOffset() {
        return log.highWatermark();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /**
     * Appends produced batches as the leader and advances the high watermark.
     *
     * <p>Buffer ownership: as {@link PartitionLog#append}: the log writes offsets and the leader
     * epoch into {@code records} in place during the call.
     *
     * @param requiredAcks the produce request's acks; with -1 the ISR must hold at least
     *     {@code min.insync.replicas} replicas
     * @throws ReplicationException {@link Errors#NOT_LEADER_OR_FOLLOWER} on a follower, {@link
     *     Errors#NOT_ENOUGH_REPLICAS} when the ISR is too small
     * @throws io.fjord.log.LogException when the log rejects the batches
     */
    public LogAppendInfo appendRecordsToLeader(ByteBuffer records, short requiredAcks) {
        Role current = role;
        if (!current.leader()) {
            throw notLeader();
        }
        int minIsr = minInsyncReplicas;
        if (requiredAcks == -1 && current.isr().size() < minIsr) {
            throw new ReplicationException(Errors.NOT_ENOUGH_REPLICAS, "The in-sync replicas of " + topicPartition
                    + " (" + current.isr().size() + ") are fewer than min.insync.replicas (" + minIsr + ")");
        }
        LogAppendInfo info = log.append(records, current.leaderEpoch());
        log.maybeIncrementHighWatermark(log.logEndOffset());
        return info;
    }

    /**
     * Whole batches from the one holding {@code fetchOffset} up to the high watermark: at most
     * {@code maxBytes}, but at least one batch when {@code minOneBatch}.
     *
     * @throws io.fjord.log.LogException {@link Errors#OFFSET_OUT_OF_RANGE} outside the log
     * @throws ReplicationException {@link Errors#NOT_LEADER_OR_FOLLOWER} on a follower
     */
    public FileSlice readForConsumer(long fetchOffset, int maxBytes, boolean minOneBatch) {
        if (!role.leader()) {
            throw notLeader();
        }
        return log.read(fetchOffset, maxBytes, log.highWatermark(), minOneBatch);
    }

    private ReplicationException notLeader() {
        return new ReplicationException(Errors.NOT_LEADER_OR_FOLLOWER, "This broker is not the leader of "
                + topicPartition);
    }

    @Override
    public String toString() {
        Role r = role;
        return "Partition(" + topicPartition + (r.leader() ? ", leader" : ", follower") + ", epoch " + r.leaderEpoch()
                + ", hw " + highWatermark() + ")";
    }
}
