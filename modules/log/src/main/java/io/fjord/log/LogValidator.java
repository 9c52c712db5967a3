package io.fjord.log;

import io.fjord.api.TimestampType;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.api.TopicPartition;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks every batch from a client passes before it reaches a segment, done on the header
 * and the CRC only: the records are never decompressed. Rejections carry Kafka's error code:
 * a framing or CRC problem is {@link Errors#CORRUPT_MESSAGE}, a batch above
 * {@code max.message.bytes} {@link Errors#MESSAGE_TOO_LARGE}, an append above
 * {@code segment.bytes} {@link Errors#RECORD_LIST_TOO_LARGE}, a timestamp outside the allowed
 * window {@link Errors#INVALID_TIMESTAMP}, inconsistent counts or client-written control batches
 * {@link Errors#INVALID_RECORD}.
 */
final class LogValidator {

    private LogValidator() {
    }

    /**
     * Frames and validates every batch in {@code records} (position to limit). Changes nothing.
     *
     * @return a view of each batch, in order, sharing {@code records}' bytes
     * @throws LogException on the first invalid batch
     */
    static List<RecordBatchView> validate(ByteBuffer records, LogConfig config, long nowMs) {
        return validate(records, config, nowMs, null, CodecRegistry.NONE);
    }

    /**
     * As {@link #validate(ByteBuffer, LogConfig, long)}; a compacted log also refuses a batch
     * holding a record without a key, as Kafka does, reading compressed records through
     * {@code codecs}.
     *
     * @param partition the partition named in Kafka's message for a record without a key
     */
    static List<RecordBatchView> validate(ByteBuffer records, LogConfig config, long nowMs, TopicPartition partition,
                                          CodecRegistry codecs) {
        int end = records.limit();
        int position = records.position();
        if (position == end) {
            throw new LogException(Errors.INVALID_RECORD, "The append holds no record batch");
        }
        if (end - position > config.segmentBytes()) {
            throw new LogException(Errors.RECORD_LIST_TOO_LARGE, "The append of " + (end - position)
                    + " bytes is larger than segment.bytes " + config.segmentBytes());
        }
        List<RecordBatchView> batches = new ArrayList<>(4);
        while (position < end) {
            int size = frameSize(records, position, end);
            if (size > config.maxMessageBytes()) {
                throw new LogException(Errors.MESSAGE_TOO_LARGE, "Record batch of " + size
                        + " bytes is larger than max.message.bytes " + config.maxMessageBytes());
            }
            RecordBatchView batch = wrapValid(records, position, size);
            checkCountsAndKind(batch);
            if (config.compact()) {
                checkKeys(batch, partition, codecs, config.maxMessageBytes());
            }
            if (config.timestampType() == TimestampType.CREATE_TIME) {
                checkTimestamp(batch.baseTimestamp(), config, nowMs);
                checkTimestamp(batch.maxTimestamp(), config, nowMs);
            }
            batches.add(batch);
            position += size;
        }
        return batches;
    }

    /**
     * The checks on batches a follower fetched from its leader, as Kafka's follower makes them:
     * framing, magic 2 and CRC ({@link Errors#CORRUPT_MESSAGE}); a record count within the offsets
     * the batch spans ({@link Errors#INVALID_RECORD}; a cleaned batch keeps its span with fewer
     * records, even none, so the count is not held to the span as a client's is); no control
     * or transactional batch ({@link Errors#INVALID_RECORD}: this log supports neither); offsets
     * strictly increasing from batch to batch ({@link Errors#UNKNOWN_SERVER_ERROR}, Kafka's
     * OffsetsOutOfOrderException); the append within {@code segment.bytes}
     * ({@link Errors#RECORD_LIST_TOO_LARGE}). Timestamps, keys and {@code max.message.bytes} are
     * not checked: the leader accepted the batches. Reads {@code records} only.
     *
     * @return a view of each batch, in order, sharing {@code records}' bytes; at least one
     */
    static List<RecordBatchView> validateReplicated(ByteBuffer records, LogConfig config) {
        int end = records.limit();
        int position = records.position();
        if (end - position > config.segmentBytes()) {
            throw new LogException(Errors.RECORD_LIST_TOO_LARGE, "The append of " + (end - position)
                    + " bytes is larger than segment.bytes " + config.segmentBytes());
        }
        List<RecordBatchView> batches = new ArrayList<>(4);
        long nextOffset = Long.MIN_VALUE;
        while (position < end) {
            int size = frameSize(records, position, end);
            RecordBatchView batch = wrapValid(records, position, size);
            if (batch.isControlBatch() || batch.isTransactional()) {
                throw new LogException(Errors.INVALID_RECORD, "Transactional and control batches are not supported by this log");
            }
            if (batch.baseOffset() < nextOffset) {
                throw new LogException(Errors.UNKNOWN_SERVER_ERROR, "Out of order offsets in a replicated append: batch at "
                        + batch.baseOffset() + " follows offset " + (nextOffset - 1));
            }
            nextOffset = batch.lastOffset() + 1;
            batches.add(batch);
            position += size;
        }
        return batches;
    }

    /** The size of the batch framed at {@code position}, checked to lie within {@code end}. */
    private static int frameSize(ByteBuffer records, int position, int end) {
        if (end - position < RecordBatchView.HEADER_SIZE) {
            throw new LogException(Errors.CORRUPT_MESSAGE, "Truncated record batch: " + (end - position)
                    + " bytes left, a batch header needs " + RecordBatchView.HEADER_SIZE);
        }
        long size = records.getInt(position + RecordBatchView.BATCH_LENGTH_OFFSET) + (long) RecordBatchView.LOG_OVERHEAD;
        if (size < RecordBatchView.HEADER_SIZE || position + size > end) {
            throw new LogException(Errors.CORRUPT_MESSAGE, "Record batch at byte " + position + " claims " + size
                    + " bytes; " + (end - position) + " are present");
        }
        return (int) size;
    }

    /** A view of the batch at {@code position}, its magic and CRC checked. */
    private static RecordBatchView wrapValid(ByteBuffer records, int position, int size) {
        try {
            RecordBatchView batch = RecordBatchView.wrap(records.slice(position, size));
            batch.ensureValid();
            return batch;
        } catch (ProtocolException e) {
            throw new LogException(e.error(), e.getMessage(), e);
        }
    }

    private static void checkCountsAndKind(RecordBatchView batch) {
        int count = batch.recordCount();
        if (count <= 0 || count != batch.lastOffsetDelta() + 1L) {
            throw new LogException(Errors.INVALID_RECORD, "Record count " + count
                    + " does not match the last offset delta " + batch.lastOffsetDelta());
        }
        if (batch.isControlBatch()) {
            throw new LogException(Errors.INVALID_RECORD, "Clients may not write control batches");
        }
        if (batch.isTransactional()) {
            throw new LogException(Errors.INVALID_RECORD, "Transactional batches are not supported by this log");
        }
    }

    private static void checkKeys(RecordBatchView batch, TopicPartition partition, CodecRegistry codecs,
                                  int maxMessageBytes) {
        RecordCursor records;
        try {
            // A batch may inflate well past its stored size; the bound only stops a bomb.
            records = batch.records(codecs, (int) Math.min(Integer.MAX_VALUE - 8, 64L * Math.max(maxMessageBytes, 1 << 20)));
            while (records.next()) {
                if (records.keySize() < 0) {
                    throw new LogException(Errors.INVALID_RECORD,
                            "Compacted topic cannot accept message without key in topic partition " + partition + ".");
                }
            }
        } catch (ProtocolException e) {
            throw new LogException(e.error(), e.getMessage(), e);
        }
    }

    private static void checkTimestamp(long timestamp, LogConfig config, long nowMs) {
        // Written to stay clear of overflow: both limits may be Long.MAX_VALUE.
        long age = nowMs - timestamp;
        if (timestamp < nowMs && age < 0) {
            age = Long.MAX_VALUE;
        }
        boolean tooOld = timestamp < nowMs && age > config.timestampBeforeMaxMs();
        boolean tooNew = timestamp > nowMs && timestamp - nowMs > config.timestampAfterMaxMs();
        if (tooOld || tooNew) {
            throw new LogException(Errors.INVALID_TIMESTAMP, "Timestamp " + timestamp + " is out of range for now="
                    + nowMs + " (message.timestamp.before.max.ms=" + config.timestampBeforeMaxMs()
                    + ", message.timestamp.after.max.ms=" + config.timestampAfterMaxMs() + ")");
        }
    }
}
