package io.fjord.perf;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchBuilder;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * Reading a record batch of 16 KiB of records (128 records, 8-byte keys, 110-byte values of
 * text-like bytes): the CRC-32C check alone, as the broker does on produce, and the check plus
 * iteration of every record, as a consumer or a compacting cleaner does. One operation of
 * {@code validateAndIterate} is one record, so {@code -prof gc} reports allocation per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBatchBenchmark {

    static final int RECORDS = 128;

    @Param({"none", "gzip", "lz4", "zstd"})
    String codec;

    private ByteBuffer batch;
    private CodecRegistry codecs;

    @Setup(Level.Trial)
    public void setUp() {
        List<CompressionCodec> loaded = new ArrayList<>();
        ServiceLoader.load(CompressionCodec.class).forEach(c -> {
            if (c.id() != CompressionCodec.NONE) {
                loaded.add(c);
            }
        });
        codecs = CodecRegistry.of(loaded);
        CompressionCodec chosen = loaded.stream().filter(c -> c.name().equals(codec)).findFirst().orElse(null);
        if (chosen == null && !codec.equals("none")) {
            throw new IllegalStateException("No codec named " + codec);
        }

        Random random = new Random(42);
        byte[] alphabet = "abcdefghij klmnopqrstuvwxyz 0123456789,.:{}\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).compression(chosen).producer(1L, (short) 0, 0);
        long timestamp = 1_700_000_000_000L;
        for (int i = 0; i < RECORDS; i++) {
            byte[] key = new byte[8];
            random.nextBytes(key);
            byte[] value = new byte[110];
            for (int b = 0; b < value.length; b++) {
                value[b] = alphabet[random.nextInt(alphabet.length)];
            }
            builder.append(timestamp + i, key, value);
        }
        batch = builder.build();
    }

    /** The broker's produce check: size, magic, CRC-32C and record count, no decompression. */
    @Benchmark
    public RecordBatchView validate() {
        RecordBatchView view = RecordBatchView.wrap(batch);
        view.ensureValid();
        return view;
    }

    /** The check plus a walk over every record, decompressing first when the batch is compressed. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int validateAndIterate(Blackhole blackhole) {
        RecordBatchView view = RecordBatchView.wrap(batch);
        view.ensureValid();
        RecordCursor cursor = view.records(codecs, 1 << 20);
        int n = 0;
        while (cursor.next()) {
            blackhole.consume(cursor.offset());
            blackhole.consume(cursor.timestamp());
            blackhole.consume(cursor.keySize() + cursor.valueSize());
            n++;
        }
        return n;
    }
}
