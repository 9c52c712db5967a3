package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.log.FileSlice;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.PartitionLog;
import io.fjord.common.errors.Errors;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One partition led by this broker: its log, its leader epoch, its in-sync replicas and its high
 * watermark.
 *
 * <p>Invariants: {@code logStartOffset <= highWatermark <= logEndOffset}; the ISR always holds the
 * leader (this node). With one node the ISR is exactly this node, so every successful append
 * moves the high watermark to the log end offset before {@link #appendRecordsToLeader} returns:
 * consumers see a batch as soon as its producer is answered, never earlier.
 *
 * <p>Thread safety: appends are serialised by the log; reads are lock-free. {@code
 * minInsyncReplicas} is volatile so a config change applies to the next append.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final int leaderEpoch;
    private final List<Integer> isr;
    private volatile int minInsyncReplicas;

    /**
     * @param nodeId this broker, the leader and only in-sync replica
     * @param leaderEpoch the epoch stamped into every appended batch
     * @param minInsyncReplicas the topic's {@code min.insync.replicas}
     */
    public Partition(TopicPartition topicPartition, PartitionLog log, int nodeId, int leaderEpoch,
            int minInsyncReplicas) {
        this.topicPartition = topicPartition;
        this.log = log;
        this.leaderEpoch = leaderEpoch;
        this.isr = List.of(nodeId);
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
        return leaderEpoch;
    }

    /** The in-sync replicas: this node. */
    public List<Integer> inSyncReplicas() {
        return isr;
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
     * @throws ReplicationException {@link Errors#NOT_ENOUGH_REPLICAS} when the ISR is too small
     * @throws io.fjord.log.LogException when the log rejects the batches
     */
    public LogAppendInfo appendRecordsToLeader(ByteBuffer records, short requiredAcks) {
        int minIsr = minInsyncReplicas;
        if (requiredAcks == -1 && isr.size() < minIsr) {
            throw new ReplicationException(Errors.NOT_ENOUGH_REPLICAS, "The in-sync replicas of " + topicPartition
                    + " (" + isr.size() + ") are fewer than min.insync.replicas (" + minIsr + ")");
        }
        LogAppendInfo info = log.append(records, leaderEpoch);
        log.maybeIncrementHighWatermark(log.logEndOffset());
        return info;
    }

    /**
     * Whole batches from the one holding {@code fetchOffset} up to the high watermark: at most
     * {@code maxBytes}, but at least one batch when {@code minOneBatch}.
     *
     * @throws io.fjord.log.LogException {@link Errors#OFFSET_OUT_OF_RANGE} outside the log
     */
    public FileSlice readForConsumer(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return log.read(fetchOffset, maxBytes, log.highWatermark(), minOneBatch);
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", epoch " + leaderEpoch + ", hw " + highWatermark() + ")";
    }
}
