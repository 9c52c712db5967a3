package io.fjord.protocol.record;

import io.fjord.api.Header;
import io.fjord.api.TimestampType;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.protocol.record.KafkaBatches.Input;
import io.fjord.protocol.record.KafkaBatches.Params;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's contract, and its bytes held against Kafka's builder. */
class RecordBatchBuilderTest {

    static List<CompressionCodec> compressingCodecs() {
        return List.of(Codecs.GZIP, Codecs.LZ4, Codecs.ZSTD);
    }

    @ParameterizedTest
    @MethodSource("compressingCodecs")
    void compressedBatchesAreByteForByteKafkas(CompressionCodec codec) {
        List<Input> inputs = KafkaBatches.inputs(0L, 100, 41L, false);
        Params params = Params.plain(codec);
        assertEquals(KafkaBatches.kafkaBuild(params, 0L, inputs), KafkaBatches.fjordBuild(params, 0L, inputs));
    }

    @Test
    void varintBoundariesAndNegativeTimestampDeltasReadBackInKafka() {
        int[] sizes = {0, 63, 64, 8191, 8192, 1_048_575, 1_048_576};
        long[] timestamps = {0L, -1L, Long.MIN_VALUE / 4, Long.MAX_VALUE / 4, 63L, -64L, 1L << 35};
        long base = 1L << 40;
        RecordBatchBuilder builder = new RecordBatchBuilder(base);
        long offset = base - 1;
        for (int i = 0; i < sizes.length; i++) {
            // The last record sits at the largest offset delta a batch can hold.
            offset = i == sizes.length - 1 ? base + Integer.MAX_VALUE : offset + 1 + i * 1000;
            builder.appendWithOffset(offset, timestamps[i], new byte[sizes[i]], new byte[sizes[sizes.length - 1 - i]],
                    new Header("k" + i, new byte[sizes[i] % 200]));
        }
        ByteBuffer batch = builder.build();

        Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator();
        MutableRecordBatch kafka = batches.next();
        kafka.ensureValid();
        assertEquals(offset, kafka.lastOffset());
        int i = 0;
        for (Record r : kafka) {
            assertEquals(timestamps[i], r.timestamp());
            assertEquals(sizes[i], r.keySize());
            assertEquals(sizes[sizes.length - 1 - i], r.valueSize());
            assertEquals("k" + i, r.headers()[0].key());
            assertEquals(sizes[i] % 200, r.headers()[0].value().length);
            i++;
        }
        assertEquals(sizes.length, i);
        assertEquals(Long.MAX_VALUE / 4, kafka.maxTimestamp());
    }

    @Test
    void deltasAreStoredAsGiven() {
        ByteBuffer batch = new RecordBatchBuilder(100L)
                .baseTimestamp(5_000L)
                .appendWithDeltas(0, -20L, new byte[] {1}, null)
                .appendWithDeltas(3, 7L, null, new byte[] {2})
                .build();
        RecordBatchView view = RecordBatchView.wrap(batch);
        assertEquals(5_000L, view.baseTimestamp());
        assertEquals(5_007L, view.maxTimestamp());
        assertEquals(3, view.lastOffsetDelta());
        MutableRecordBatch kafka = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next();
        kafka.ensureValid();
        Iterator<Record> records = kafka.iterator();
        Record first = records.next();
        assertEquals(100L, first.offset());
        assertEquals(4_980L, first.timestamp());
        Record second = records.next();
        assertEquals(103L, second.offset());
        assertEquals(5_007L, second.timestamp());
        assertThrows(IllegalStateException.class,
                () -> new RecordBatchBuilder(0L).appendWithDeltas(0, 0L, null, null));
    }

    @Test
    void misuseIsRefused() {
        RecordBatchBuilder empty = new RecordBatchBuilder(0L);
        assertThrows(IllegalStateException.class, empty::build);

        RecordBatchBuilder builder = new RecordBatchBuilder(10L).append(1L, null, null);
        assertThrows(IllegalArgumentException.class, () -> builder.appendWithOffset(10L, 1L, (byte[]) null, null));
        assertThrows(IllegalArgumentException.class, () -> builder.appendWithOffset(10L + Integer.MAX_VALUE + 1L, 1L,
                (byte[]) null, null));
        assertThrows(IllegalStateException.class, () -> builder.compression(Codecs.GZIP));
        assertThrows(IllegalArgumentException.class,
                () -> builder.timestampType(TimestampType.NO_TIMESTAMP_TYPE, -1L));
        ByteBuffer built = builder.build();
        assertEquals(10L, RecordBatchView.wrap(built).baseOffset());
        assertThrows(IllegalStateException.class, builder::build);
        assertThrows(IllegalStateException.class, () -> builder.append(2L, null, null));
    }

    @Test
    void registryRefusesSharedOrOutOfRangeIds() {
        assertThrows(IllegalArgumentException.class, () -> CodecRegistry.of(Codecs.GZIP, Codecs.GZIP));
        CodecRegistry registry = CodecRegistry.of(Codecs.LZ4);
        assertEquals(Codecs.LZ4, registry.codec(CompressionCodec.LZ4));
        assertEquals(null, registry.codec(CompressionCodec.GZIP));
        assertEquals(null, registry.codec(-1));
        assertEquals(null, registry.codec(8));
        assertTrue(CodecRegistry.NONE.codec(CompressionCodec.GZIP) == null);
    }
}
