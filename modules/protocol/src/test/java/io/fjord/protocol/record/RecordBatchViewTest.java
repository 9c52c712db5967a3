package io.fjord.protocol.record;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header fields, CRC and in-place rewrites of {@link RecordBatchView}, against Kafka's reading of the same bytes. */
class RecordBatchViewTest {

    private static MutableRecordBatch onlyKafkaBatch(ByteBuffer buffer) {
        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(buffer.duplicate()).batches().iterator();
        MutableRecordBatch batch = batches.next();
        assertFalse(batches.hasNext());
        return batch;
    }

    @Test
    void headerFieldsMatchKafka() {
        ByteBuffer buffer = KafkaBatches.kafkaBuild(new KafkaBatches.Params(Codecs.GZIP,
                TimestampType.LOG_APPEND_TIME, 1_699_999_999_999L, 77L, (short) 3, 2_147_483_640, true, 9), 1000L,
                KafkaBatches.inputs(1000L, 20, 1L, false));
        MutableRecordBatch kafka = onlyKafkaBatch(buffer);
        RecordBatchView view = RecordBatchView.wrap(buffer);

        assertEquals(kafka.baseOffset(), view.baseOffset());
        assertEquals(kafka.lastOffset(), view.lastOffset());
        assertEquals(kafka.nextOffset(), view.nextOffset());
        assertEquals(kafka.sizeInBytes(), view.sizeInBytes());
        assertEquals(kafka.sizeInBytes() - 12, view.batchLength());
        assertEquals(kafka.partitionLeaderEpoch(), view.partitionLeaderEpoch());
        assertEquals(kafka.magic(), view.magic());
        assertEquals(kafka.checksum(), view.checksum());
        assertEquals(kafka.compressionType().id, view.compressionId());
        assertTrue(view.isCompressed());
        assertEquals(kafka.timestampType().id, view.timestampType().id);
        assertEquals(kafka.isTransactional(), view.isTransactional());
        assertEquals(kafka.isControlBatch(), view.isControlBatch());
        assertEquals(kafka.maxTimestamp(), view.maxTimestamp());
        assertEquals(kafka.producerId(), view.producerId());
        assertEquals(kafka.producerEpoch(), view.producerEpoch());
        assertEquals(kafka.baseSequence(), view.baseSequence());
        assertEquals(kafka.lastSequence(), view.lastSequence());
        assertEquals(kafka.countOrNull(), view.recordCount());
        assertEquals(kafka.checksum(), view.computeChecksum());
        assertTrue(view.isValid());
        view.ensureValid();

        // Sequences wrap past Integer.MAX_VALUE to 0 inside this batch.
        RecordCursor cursor = view.records(Codecs.ALL, 1 << 20);
        for (var record : kafka) {
            assertTrue(cursor.next());
            assertEquals(record.sequence(), cursor.sequence());
            assertEquals(record.offset(), cursor.offset());
            assertEquals(record.timestamp(), cursor.timestamp());
        }
        assertFalse(cursor.next());
    }

    @Test
    void wrapLeavesTheCallersPositionAlone() {
        ByteBuffer buffer = KafkaBatches.build(null, 0L, 3, 2L);
        ByteBuffer framed = ByteBuffer.allocate(buffer.remaining() + 10);
        framed.position(5);
        framed.put(buffer.duplicate());
        framed.position(5).limit(5 + buffer.remaining());
        RecordBatchView view = RecordBatchView.wrap(framed);
        view.ensureValid();
        assertEquals(5, framed.position());
        assertEquals(buffer.remaining(), view.sizeInBytes());
    }

    @Test
    void directReadOnlyAndLittleEndianBuffersReadAlike() {
        ByteBuffer heap = KafkaBatches.build(Codecs.LZ4, 77L, 12, 9L);
        MutableRecordBatch kafka = onlyKafkaBatch(heap);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining() + 3);
        direct.position(3);
        direct.put(heap.duplicate()).position(3);
        ByteBuffer[] variants = {direct, heap.asReadOnlyBuffer(),
                KafkaBatches.copy(heap).order(java.nio.ByteOrder.LITTLE_ENDIAN)};
        for (ByteBuffer buffer : variants) {
            RecordBatchView view = RecordBatchView.wrap(buffer);
            view.ensureValid();
            assertEquals(kafka.checksum(), view.computeChecksum());
            assertEquals(kafka.baseOffset(), view.baseOffset());
            assertEquals(kafka.maxTimestamp(), view.maxTimestamp());
            assertEquals(KafkaBatches.kafkaRead(heap), KafkaBatches.fjordRead(buffer, Codecs.ALL));
        }
        RecordBatchView view = RecordBatchView.wrap(direct);
        view.setMaxTimestamp(io.fjord.api.TimestampType.LOG_APPEND_TIME, 5L);
        view.setBaseOffset(1L);
        ByteBuffer back = ByteBuffer.allocate(heap.remaining()).put(direct.duplicate()).flip();
        MutableRecordBatch rewritten = onlyKafkaBatch(back);
        rewritten.ensureValid();
        assertEquals(1L, rewritten.baseOffset());
        assertEquals(5L, rewritten.maxTimestamp());
        assertEquals(3, direct.position());
    }

    @Test
    void flippedCrcBitIsCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(null, 0L, 10, 3L);
        buffer.put(100, (byte) (buffer.get(100) ^ 0x10));
        RecordBatchView view = RecordBatchView.wrap(buffer);
        assertFalse(view.isValid());
        ProtocolException e = assertThrows(ProtocolException.class, view::ensureValid);
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        assertFalse(onlyKafkaBatch(buffer).isValid());
    }

    @Test
    void offsetAndLeaderEpochAreRewrittenInPlaceWithoutTouchingTheCrc() {
        ByteBuffer buffer = KafkaBatches.build(Codecs.GZIP, 0L, 10, 4L);
        RecordBatchView view = RecordBatchView.wrap(buffer);
        long crc = view.checksum();
        view.setBaseOffset(5_000_000_000L);
        view.setPartitionLeaderEpoch(12);

        MutableRecordBatch kafka = onlyKafkaBatch(buffer);
        kafka.ensureValid();
        assertEquals(5_000_000_000L, kafka.baseOffset());
        assertEquals(5_000_000_009L, kafka.lastOffset());
        assertEquals(12, kafka.partitionLeaderEpoch());
        assertEquals(crc, kafka.checksum());
        long expected = 5_000_000_000L;
        for (var record : kafka) {
            assertEquals(expected++, record.offset());
        }
    }

    @Test
    void logAppendTimeRewriteResealsTheCrc() {
        ByteBuffer buffer = KafkaBatches.build(null, 0L, 10, 5L);
        RecordBatchView view = RecordBatchView.wrap(buffer);
        long before = view.checksum();
        view.setMaxTimestamp(io.fjord.api.TimestampType.LOG_APPEND_TIME, 1_800_000_000_000L);

        assertTrue(view.isValid());
        MutableRecordBatch kafka = onlyKafkaBatch(buffer);
        kafka.ensureValid();
        assertTrue(before != kafka.checksum());
        assertEquals(TimestampType.LOG_APPEND_TIME, kafka.timestampType());
        assertEquals(1_800_000_000_000L, kafka.maxTimestamp());
        for (var record : kafka) {
            assertEquals(1_800_000_000_000L, record.timestamp());
        }
    }

    @Test
    void legacyMagicIsRejectedAsUnsupportedFormat() {
        ByteBuffer buffer = KafkaBatches.build(null, 0L, 1, 6L);
        buffer.put(RecordBatchView.MAGIC_OFFSET, (byte) 1);
        ProtocolException e = assertThrows(ProtocolException.class, () -> RecordBatchView.wrap(buffer));
        assertEquals(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, e.error());
        buffer.put(RecordBatchView.MAGIC_OFFSET, (byte) 3);
        e = assertThrows(ProtocolException.class, () -> RecordBatchView.wrap(buffer));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
    }

    @Test
    void batchLengthMustMatchTheBytes() {
        ByteBuffer buffer = KafkaBatches.build(null, 0L, 2, 7L);
        for (int length : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, buffer.remaining() - 11, 0}) {
            ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer.duplicate()).flip();
            copy.putInt(RecordBatchView.BATCH_LENGTH_OFFSET, length);
            ProtocolException e = assertThrows(ProtocolException.class, () -> RecordBatchView.wrap(copy));
            assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        }
    }

    @Test
    void impossibleRecordCountsAreInvalid() {
        ByteBuffer buffer = KafkaBatches.build(null, 0L, 4, 8L);
        for (int count : new int[] {-1, 5, Integer.MAX_VALUE}) {
            ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer.duplicate()).flip();
            RecordBatchView view = RecordBatchView.wrap(copy);
            copy.putInt(RecordBatchView.RECORD_COUNT_OFFSET, count);
            copy.putInt(RecordBatchView.CRC_OFFSET, (int) view.computeChecksum());
            ProtocolException e = assertThrows(ProtocolException.class, view::ensureValid);
            assertEquals(Errors.INVALID_RECORD, e.error());
        }
    }
}
