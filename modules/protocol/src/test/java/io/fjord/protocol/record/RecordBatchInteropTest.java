package io.fjord.protocol.record;

import io.fjord.api.Header;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.protocol.record.KafkaBatches.Input;
import io.fjord.protocol.record.KafkaBatches.Params;
import io.fjord.protocol.record.KafkaBatches.Rec;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fjord writes what Kafka reads, and reads what Kafka writes, for every codec. */
class RecordBatchInteropTest {

    static List<CompressionCodec> codecs() {
        return Codecs.everyCodec();
    }

    private static MutableRecordBatch onlyKafkaBatch(ByteBuffer buffer) {
        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(buffer.duplicate()).batches().iterator();
        MutableRecordBatch batch = batches.next();
        assertFalse(batches.hasNext());
        return batch;
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void kafkaReadsWhatFjordWrites(CompressionCodec codec) {
        Params params = new Params(codec, TimestampType.CREATE_TIME, RecordBatch.NO_TIMESTAMP, 987_654_321L,
                (short) 17, 1000, true, 3);
        List<Input> inputs = KafkaBatches.inputs(500L, 200, 11L, false);
        ByteBuffer batch = KafkaBatches.fjordBuild(params, 500L, inputs);

        MutableRecordBatch kafka = onlyKafkaBatch(batch);
        kafka.ensureValid();
        assertEquals(codec == null ? 0 : codec.id(), kafka.compressionType().id);
        assertEquals(500L, kafka.baseOffset());
        assertEquals(699L, kafka.lastOffset());
        assertEquals(200, kafka.countOrNull());
        assertEquals(987_654_321L, kafka.producerId());
        assertEquals(17, kafka.producerEpoch());
        assertEquals(1000, kafka.baseSequence());
        assertEquals(1199, kafka.lastSequence());
        assertTrue(kafka.isTransactional());
        assertFalse(kafka.isControlBatch());
        assertEquals(3, kafka.partitionLeaderEpoch());
        assertEquals(inputs.stream().mapToLong(Input::timestamp).max().orElseThrow(), kafka.maxTimestamp());
        int i = 0;
        for (Record r : kafka) {
            assertEquals(1000 + i++, r.sequence());
        }
        assertEquals(KafkaBatches.expected(inputs), KafkaBatches.kafkaRead(batch));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void fjordReadsWhatKafkaWrites(CompressionCodec codec) {
        List<Input> inputs = KafkaBatches.inputs(7L, 200, 12L, false);
        ByteBuffer batch = KafkaBatches.kafkaBuild(Params.plain(codec), 7L, inputs);

        RecordBatchView view = RecordBatchView.wrap(batch);
        view.ensureValid();
        assertEquals(KafkaBatches.expected(inputs), KafkaBatches.fjordRead(batch, Codecs.ALL));
        RecordCursor cursor = view.records(Codecs.ALL, 1 << 20);
        int i = 0;
        while (cursor.next()) {
            assertEquals(42 + i++, cursor.sequence());
        }
        assertEquals(200, i);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void offsetGapsSurviveBothWays(CompressionCodec codec) {
        List<Input> inputs = KafkaBatches.inputs(1L << 40, 50, 13L, true);
        Params params = Params.plain(codec);
        ByteBuffer fjord = KafkaBatches.fjordBuild(params, 1L << 40, inputs);
        ByteBuffer kafka = KafkaBatches.kafkaBuild(params, 1L << 40, inputs);
        assertEquals(KafkaBatches.expected(inputs), KafkaBatches.kafkaRead(fjord));
        assertEquals(KafkaBatches.expected(inputs), KafkaBatches.fjordRead(kafka, Codecs.ALL));
        assertEquals(onlyKafkaBatch(kafka).lastOffset(), RecordBatchView.wrap(fjord).lastOffset());
    }

    @Test
    void aBufferOfBatchesOfEveryCodecReadsAsKafkaReadsIt() {
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = 0;
        for (CompressionCodec codec : codecs()) {
            List<Input> inputs = KafkaBatches.inputs(offset, 30, 16L + offset, true);
            batches.add(KafkaBatches.kafkaBuild(Params.plain(codec), offset, inputs));
            batches.add(KafkaBatches.fjordBuild(Params.plain(codec), offset + 1000, KafkaBatches.inputs(offset + 1000, 30,
                    17L + offset, false)));
            offset += 2000;
        }
        ByteBuffer all = ByteBuffer.allocate(batches.stream().mapToInt(ByteBuffer::remaining).sum());
        batches.forEach(b -> all.put(b.duplicate()));
        all.flip();
        List<Rec> kafka = KafkaBatches.kafkaRead(all);
        assertEquals(8 * 30, kafka.size());
        assertEquals(kafka, KafkaBatches.fjordRead(all, Codecs.ALL));
    }

    @Test
    void uncompressedBatchesAreByteForByteKafkas() {
        List<Input> inputs = KafkaBatches.inputs(0L, 300, 14L, true);
        Params params = Params.plain(null);
        assertEquals(KafkaBatches.kafkaBuild(params, 0L, inputs), KafkaBatches.fjordBuild(params, 0L, inputs));
    }

    @Test
    void logAppendTimeIsEveryRecordsTimestamp() {
        List<Input> inputs = KafkaBatches.inputs(0L, 20, 15L, false);
        Params params = new Params(Codecs.GZIP, TimestampType.LOG_APPEND_TIME, 1_900_000_000_000L, -1L, (short) -1, -1,
                false, -1);
        ByteBuffer fjord = KafkaBatches.fjordBuild(params, 0L, inputs);
        MutableRecordBatch kafka = onlyKafkaBatch(fjord);
        kafka.ensureValid();
        assertEquals(TimestampType.LOG_APPEND_TIME, kafka.timestampType());
        assertEquals(1_900_000_000_000L, kafka.maxTimestamp());
        assertFalse(kafka.hasProducerId());
        for (Record r : kafka) {
            assertEquals(1_900_000_000_000L, r.timestamp());
        }
        RecordCursor cursor = RecordBatchView.wrap(KafkaBatches.kafkaBuild(params, 0L, inputs)).records(Codecs.ALL, 1 << 20);
        while (cursor.next()) {
            assertEquals(1_900_000_000_000L, cursor.timestamp());
        }
    }

    @Test
    void transactionMarkerIsAControlRecordForKafka() {
        ByteBuffer fjord = new RecordBatchBuilder(99L)
                .producer(5L, (short) 2, -1)
                .appendEndTxnMarker(1_700_000_000_000L, true, 31)
                .build();
        MutableRecordBatch kafka = onlyKafkaBatch(fjord);
        kafka.ensureValid();
        assertTrue(kafka.isControlBatch());
        assertTrue(kafka.isTransactional());
        Record marker = kafka.iterator().next();
        assertEquals(ControlRecordType.COMMIT, ControlRecordType.parse(marker.key()));
        EndTransactionMarker parsed = EndTransactionMarker.deserialize(marker);
        assertEquals(31, parsed.coordinatorEpoch());

        ByteBuffer kafkaMarker = MemoryRecords.withEndTransactionMarker(99L, 1_700_000_000_000L, -1, 5L, (short) 2,
                new EndTransactionMarker(ControlRecordType.ABORT, 31)).buffer();
        RecordBatchView view = RecordBatchView.wrap(kafkaMarker);
        view.ensureValid();
        assertTrue(view.isControlBatch());
        assertTrue(view.isTransactional());
        RecordCursor cursor = view.records();
        assertTrue(cursor.next());
        assertEquals(0, cursor.key().getShort(2)); // abort
        assertEquals(31, cursor.value().getInt(2));
        assertFalse(cursor.next());
    }

    @Test
    void keysValuesAndHeadersAreSlicesOfTheBatch() {
        ByteBuffer batch = new RecordBatchBuilder(0L)
                .append(1L, new byte[] {1, 2, 3}, null, new Header("k", new byte[] {9}), new Header("n", null))
                .build();
        RecordCursor cursor = RecordBatchView.wrap(batch).records();
        assertTrue(cursor.next());
        ByteBuffer key = cursor.key();
        assertTrue(key.isReadOnly());
        assertNull(cursor.value());
        assertEquals(-1, cursor.valueSize());
        batch.put(RecordBatchView.RECORDS_OFFSET + 5, (byte) 42); // first key byte, after 5 one-byte fields
        assertEquals(42, key.get(0));
        List<RecordHeaderView> headers = cursor.headers();
        assertEquals(2, headers.size());
        assertEquals("k", headers.get(0).keyString());
        assertArrayEquals(new byte[] {9}, headers.get(0).valueBytes());
        assertNull(headers.get(1).value());
    }

    @Test
    void walkerStopsBeforeATruncatedTailAtEveryCut() {
        List<ByteBuffer> parts = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            parts.add(KafkaBatches.build(i == 1 ? Codecs.ZSTD : null, offset, 5 + i, 20L + i));
            offset += 5 + i;
        }
        int total = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(total);
        parts.forEach(p -> all.put(p.duplicate()));
        all.flip();
        int firstTwo = parts.get(0).remaining() + parts.get(1).remaining();

        for (int cut = 0; cut <= total; cut++) {
            RecordBatchIterator it = new RecordBatchIterator(all.duplicate().limit(cut));
            int batches = 0;
            int end = 0;
            while (it.hasNext()) {
                RecordBatchView view = it.next();
                view.ensureValid();
                end += view.sizeInBytes();
                batches++;
            }
            int expectedBatches = cut >= total ? 3 : cut >= firstTwo ? 2 : cut >= parts.get(0).remaining() ? 1 : 0;
            assertEquals(expectedBatches, batches, "cut at " + cut);
            assertEquals(cut - end, it.truncatedBytes(), "cut at " + cut);
            assertEquals(end, it.position());
        }
    }

    @Test
    void legacyMessageSetsAreRecognisedAndStepped() {
        // A magic 1 message: offset, size, crc, magic, attributes, timestamp, key -1, value "v".
        ByteBuffer legacy = ByteBuffer.allocate(12 + 4 + 1 + 1 + 8 + 4 + 4 + 1);
        legacy.putLong(3L).putInt(legacy.capacity() - 12).putInt(0).put((byte) 1).put((byte) 0).putLong(1L)
                .putInt(-1).putInt(1).put((byte) 'v').flip();
        ByteBuffer v2 = KafkaBatches.build(null, 4L, 2, 21L);
        ByteBuffer both = ByteBuffer.allocate(legacy.remaining() + v2.remaining()).put(legacy).put(v2.duplicate()).flip();

        RecordBatchIterator it = new RecordBatchIterator(both);
        assertTrue(it.hasNext());
        assertEquals(1, it.peekMagic());
        var e = assertThrows(io.fjord.protocol.errors.ProtocolException.class, it::next);
        assertEquals(io.fjord.common.errors.Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, e.error());
        assertTrue(it.hasNext());
        assertEquals(2, it.peekMagic());
        assertEquals(4L, it.next().baseOffset());
        assertFalse(it.hasNext());
        assertEquals(0, it.truncatedBytes());
    }
}
