package io.fjord.perf;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchBuilder;
import io.fjord.protocol.record.RecordBatchRecompressor;
import io.fjord.protocol.record.RecordBatchView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * The broker's {@code compression.type} on produce, for a request of 8 batches of 16 KiB of
 * records (128 text-like records each): {@code check} is the cost every produce pays when a topic
 * names a codec (a walk over the batch headers that finds them in the topic's codec already), and
 * {@code recompress} rewrites every batch from the producer's codec ({@code from}) into the
 * topic's ({@code to}): CRC check, decompression, a walk over every record, compression, new
 * header and CRC. µs per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecompressionBenchmark {

    private static final int BATCHES = 8;
    private static final int RECORDS = 128;

    @Param({"none", "lz4"})
    String from;

    @Param({"lz4", "zstd"})
    String to;

    private ByteBuffer request;
    private CodecRegistry codecs;
    private CompressionCodec target;
    private int targetId;

    @Setup(Level.Trial)
    public void setUp() {
        List<CompressionCodec> loaded = new ArrayList<>();
        ServiceLoader.load(CompressionCodec.class).forEach(loaded::add);
        codecs = CodecRegistry.of(loaded);
        CompressionCodec source = named(loaded, from);
        target = named(loaded, to);
        targetId = target.id();
        Random random = new Random(42);
        byte[] alphabet = "abcdefghij klmnopqrstuvwxyz 0123456789,.:{}\"".getBytes(StandardCharsets.US_ASCII);
        List<ByteBuffer> batches = new ArrayList<>();
        int total = 0;
        for (int b = 0; b < BATCHES; b++) {
            RecordBatchBuilder builder = new RecordBatchBuilder(0L).compression(source)
                    .producer(1L, (short) 0, b * RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                byte[] key = new byte[8];
                random.nextBytes(key);
                byte[] value = new byte[110];
                for (int v = 0; v < value.length; v++) {
                    value[v] = alphabet[random.nextInt(alphabet.length)];
                }
                builder.append(1_700_000_000_000L + i, key, value);
            }
            ByteBuffer batch = builder.build();
            batches.add(batch);
            total += batch.remaining();
        }
        request = ByteBuffer.allocate(total);
        batches.forEach(request::put);
        request.flip();
    }

    private static CompressionCodec named(List<CompressionCodec> loaded, String name) {
        return loaded.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No codec named " + name));
    }

    /** What a produce to a topic already in the batches' codec costs: the header walk only. */
    @Benchmark
    public boolean check() {
        return RecordBatchRecompressor.needsRecompression(request,
                request.getShort(RecordBatchView.ATTRIBUTES_OFFSET) & 0x07);
    }

    /** Every batch rewritten in the topic's codec. */
    @Benchmark
    public ByteBuffer recompress() {
        return RecordBatchRecompressor.recompress(request, codecs, target, 1 << 24);
    }
}
