package io.fjord.protocol.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batches written by Kafka in one codec, rewritten by Fjord in another, read back by Kafka: same
 * records, same producer id, epoch, sequence and leader epoch, the new codec in the attributes, a
 * CRC Kafka accepts.
 */
class RecordBatchRecompressorTest {

    private static final CompressionCodec NONE = noCompression();
    private static final CodecRegistry ALL = CodecRegistry.of(NONE, Codecs.GZIP, Codecs.LZ4, Codecs.ZSTD);

    static Stream<Arguments> everyPairOfCodecs() {
        List<Arguments> pairs = new ArrayList<>();
        for (CompressionCodec from : Codecs.everyCodec()) {
            for (CompressionCodec to : List.of(NONE, Codecs.GZIP, Codecs.LZ4, Codecs.ZSTD)) {
                pairs.add(Arguments.of(from == null ? NONE : from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("everyPairOfCodecs")
    void kafkaReadsTheRewrittenBatchesWithTheirProducerFields(CompressionCodec from, CompressionCodec to) {
        List<KafkaBatches.Input> first = KafkaBatches.inputs(0, 40, 11, false);
        List<KafkaBatches.Input> second = KafkaBatches.inputs(40, 7, 12, false);
        KafkaBatches.Params params = KafkaBatches.Params.plain(from.id() == 0 ? null : from);
        ByteBuffer a = KafkaBatches.kafkaBuild(params, 0, first);
        ByteBuffer b = KafkaBatches.kafkaBuild(params, 40, second);
        ByteBuffer request = ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
        ByteBuffer original = KafkaBatches.copy(request);

        assertEquals(from.id() != to.id(), RecordBatchRecompressor.needsRecompression(request, to.id()));
        ByteBuffer rewritten = RecordBatchRecompressor.recompress(request, ALL, to, 1 << 24);

        assertEquals(original, request, "the caller's bytes are not changed");
        List<KafkaBatches.Input> all = new ArrayList<>(first);
        all.addAll(second);
        assertEquals(KafkaBatches.expected(all), KafkaBatches.kafkaRead(rewritten));
        List<MutableRecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(rewritten.duplicate()).batches().forEach(batches::add);
        assertEquals(2, batches.size());
        for (MutableRecordBatch batch : batches) {
            assertEquals(to.id(), batch.compressionType().id);
            assertEquals(params.producerId(), batch.producerId());
            assertEquals(params.producerEpoch(), batch.producerEpoch());
            assertEquals(params.leaderEpoch(), batch.partitionLeaderEpoch());
        }
        assertEquals(params.baseSequence(), batches.get(0).baseSequence());
        assertEquals(40 - 1, batches.get(0).lastOffset());
        assertFalse(RecordBatchRecompressor.needsRecompression(rewritten, to.id()));
    }

    @Test
    void aBatchAlreadyInTheTargetCodecIsCopiedByteForByte() {
        ByteBuffer zstd = KafkaBatches.build(Codecs.ZSTD, 0, 20, 3);
        ByteBuffer lz4 = KafkaBatches.build(Codecs.LZ4, 20, 20, 4);
        ByteBuffer request = ByteBuffer.allocate(zstd.remaining() + lz4.remaining()).put(zstd.duplicate())
                .put(lz4).flip();
        ByteBuffer rewritten = RecordBatchRecompressor.recompress(request, ALL, Codecs.ZSTD, 1 << 24);
        assertNotSame(request, rewritten);
        assertEquals(zstd, rewritten.slice(0, zstd.remaining()));
    }

    @Test
    void aCorruptCrcIsRefusedBeforeDecompression() {
        ByteBuffer batch = KafkaBatches.build(Codecs.GZIP, 0, 10, 5);
        batch.put(batch.limit() - 1, (byte) (batch.get(batch.limit() - 1) ^ 1));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RecordBatchRecompressor.recompress(batch, ALL, Codecs.ZSTD, 1 << 24));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
    }

    @Test
    void aCodecThatIsNotLoadedIsAnUnsupportedCompressionType() {
        ByteBuffer batch = KafkaBatches.build(Codecs.GZIP, 0, 10, 6);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RecordBatchRecompressor.recompress(batch, CodecRegistry.of(NONE, Codecs.ZSTD), Codecs.ZSTD,
                        1 << 24));
        assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE, e.error());
    }

    @Test
    void recordsThatInflatePastTheLimitAreCorrupt() {
        ByteBuffer batch = KafkaBatches.build(Codecs.ZSTD, 0, 50, 7);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RecordBatchRecompressor.recompress(batch, ALL, Codecs.GZIP, 100));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
    }

    @Test
    void aTruncatedTailIsCorruptAndBrokenFramingNeedsNoRecompression() {
        ByteBuffer batch = KafkaBatches.build(null, 0, 10, 8);
        ByteBuffer truncated = batch.slice(0, batch.remaining() - 3);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RecordBatchRecompressor.recompress(truncated, ALL, Codecs.GZIP, 1 << 24));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        assertFalse(RecordBatchRecompressor.needsRecompression(truncated, CompressionCodec.GZIP));
        assertTrue(RecordBatchRecompressor.needsRecompression(batch, CompressionCodec.GZIP));
    }

    @Test
    void aRecordCountThatDisagreesWithTheRecordsIsInvalid() {
        ByteBuffer batch = KafkaBatches.build(null, 0, 10, 9);
        // One record fewer than the records section holds, with the CRC made to match.
        batch.putInt(RecordBatchView.RECORD_COUNT_OFFSET, 9);
        RecordBatchView view = RecordBatchView.wrap(batch);
        batch.putInt(RecordBatchView.CRC_OFFSET, (int) view.computeChecksum());
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RecordBatchRecompressor.recompress(batch, ALL, Codecs.GZIP, 1 << 24));
        assertEquals(Errors.INVALID_RECORD, e.error());
    }

    private static CompressionCodec noCompression() {
        try {
            return (CompressionCodec) Class.forName("io.fjord.compression.NoCompressionCodec").getConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The codec io.fjord.compression.NoCompressionCodec is not on the"
                    + " test class path", e);
        }
    }
}
