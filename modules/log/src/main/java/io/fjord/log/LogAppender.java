package io.fjord.log;

import io.fjord.api.TimestampType;
import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.RecordBatchView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The write path of a partition log, for batches {@link LogValidator} has checked: a leader's
 * batches are checked against the producer state (a retried batch is answered as the duplicate
 * it is) and given their offsets, leader epoch and, under LogAppendTime, timestamp in place; a
 * follower's keep the leader's. Both are then written at the log end, after a roll when the
 * active segment is full, with new leader epochs recorded first and the producer state applied
 * after.
 *
 * <p>Called by {@link PartitionLog} with its lock held: one writer at a time. What readers see is
 * published by {@link LocalLog#append} (segment bytes and indexes before the log end offset).
 */
final class LogAppender {

    private final TopicPartition topicPartition;
    private final LocalLog local;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;

    LogAppender(TopicPartition topicPartition, LocalLog local, ProducerStateManager producerState,
                LeaderEpochCache epochCache) {
        this.topicPartition = topicPartition;
        this.local = local;
        this.producerState = producerState;
        this.epochCache = epochCache;
    }

    /** Appends a leader's batches as one unit, giving them offsets from the log end. */
    LogAppendInfo appendAsLeader(ByteBuffer records, List<RecordBatchView> batches, int leaderEpoch, LogConfig cfg,
                                 long now, long logStartOffset) {
        long next = local.logEndOffset();
        long firstOffset = next;
        ProducerStateManager.Staging staging = producerState.begin();
        for (RecordBatchView batch : batches) {
            long last = next + batch.lastOffsetDelta();
            BatchMetadata duplicate = staging.checkAndStage(batch, next, last);
            if (duplicate != null) {
                if (batches.size() != 1) {
                    throw new LogException(Errors.INVALID_RECORD,
                            "A retried batch may not share an append with other batches");
                }
                return new LogAppendInfo(duplicate.firstOffset(), duplicate.lastOffset(), duplicate.timestamp(),
                        -1L, logStartOffset, 0, true);
            }
            next = last + 1;
        }
        long lastOffset = next - 1;
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        long maxTimestamp = -1L;
        long offset = firstOffset;
        for (RecordBatchView batch : batches) {
            batch.setBaseOffset(offset);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
            }
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            offset = batch.lastOffset() + 1;
        }
        write(cfg, records, batches, maxTimestamp, now);
        producerState.commit(staging, lastOffset + 1);
        return new LogAppendInfo(firstOffset, lastOffset, maxTimestamp, logAppendTime ? now : -1L,
                logStartOffset, records.remaining(), false);
    }

    /**
     * Appends a follower's batches with the leader's offsets; the first must be at or above the
     * log end (gaps are allowed: a compacted leader). The producer state takes them unchecked.
     */
    LogAppendInfo appendAsFollower(ByteBuffer records, List<RecordBatchView> batches, LogConfig cfg, long now,
                                   long logStartOffset) {
        long firstOffset = batches.get(0).baseOffset();
        if (firstOffset < local.logEndOffset()) {
            throw new LogException(Errors.UNKNOWN_SERVER_ERROR, "Unexpected offset in append to "
                    + topicPartition + ": first offset " + firstOffset + " is below the log end offset "
                    + local.logEndOffset());
        }
        long lastOffset = batches.get(batches.size() - 1).lastOffset();
        long maxTimestamp = -1L;
        for (RecordBatchView batch : batches) {
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
        }
        write(cfg, records, batches, maxTimestamp, now);
        for (RecordBatchView batch : batches) {
            producerState.replay(batch);
        }
        return new LogAppendInfo(firstOffset, lastOffset, maxTimestamp, -1L, logStartOffset, records.remaining(),
                false);
    }

    /** Writes batches with their offsets set at the log end: rolls if needed, records new epochs, appends. */
    private void write(LogConfig cfg, ByteBuffer records, List<RecordBatchView> batches, long maxTimestamp,
                       long now) {
        long firstOffset = batches.get(0).baseOffset();
        long lastOffset = batches.get(batches.size() - 1).lastOffset();
        try {
            LogSegment active = local.segments().active();
            if (active.size() > 0 && active.shouldRoll(cfg, records.remaining(), maxTimestamp, lastOffset, now)) {
                roll(firstOffset);
            }
            boolean newEpoch = false;
            for (RecordBatchView batch : batches) {
                newEpoch |= epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
            }
            if (newEpoch) {
                epochCache.write();
            }
            local.append(records, batches);
        } catch (IOException e) {
            throw LogSegment.storageError("Append to " + topicPartition + " failed", e);
        }
    }

    /**
     * Starts a new active segment at {@code baseOffset}, with a producer-state snapshot at the old
     * end. Like Kafka, the roll fsyncs nothing: the snapshot is made durable with the finished
     * segment, off the append path and the partition's lock.
     */
    void roll(long baseOffset) throws IOException {
        Path snapshot = producerState.takeSnapshot(false);
        local.roll(baseOffset, snapshot);
    }
}
