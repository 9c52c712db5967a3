package io.fjord.perf;

import io.fjord.api.compression.CompressionCodec;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * Compression and decompression of a record batch's worth of realistic record data, per codec
 * at its default level, as a producer compresses and a broker or consumer decompresses. Codecs
 * are found through {@link ServiceLoader}, as the kernel finds them. Besides ops/s, the
 * {@code megabytes} counter reports uncompressed MB (10^6 bytes) per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private static final String[] EVENTS = {"page_view", "click", "add_to_cart", "checkout", "login", "logout"};
    private static final String[] COUNTRIES = {"NO", "SE", "DK", "DE", "FR", "US", "JP", "BR"};

    @Param({"none", "gzip", "lz4", "zstd", "snappy"})
    String codec;

    @Param({"16384", "1048576"})
    int size;

    private CompressionCodec compression;
    private byte[] input;
    private byte[] compressed;
    private ByteArrayOutputStream sink;
    private final byte[] readBuffer = new byte[16 * 1024];

    /** Uncompressed bytes handled, in MB, reported by JMH as a rate (MB/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        compression = ServiceLoader.load(CompressionCodec.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(c -> c.name().equals(codec))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no codec named " + codec));
        compression.configure(Map.of());
        input = records(size, 42);
        sink = new ByteArrayOutputStream(size + 1024);
        compressed = compressOnce();
        byte[] roundTrip = decompressOnce();
        if (!Arrays.equals(input, roundTrip)) {
            throw new IllegalStateException(codec + " does not round-trip");
        }
    }

    @Benchmark
    public int compress(Throughput throughput) throws IOException {
        sink.reset();
        try (OutputStream out = compression.compressor(sink)) {
            out.write(input);
        }
        throughput.megabytes += size / 1e6;
        return sink.size();
    }

    @Benchmark
    public long decompress(Throughput throughput) throws IOException {
        long total = 0;
        try (InputStream in = compression.decompressor(ByteBuffer.wrap(compressed))) {
            int n;
            while ((n = in.read(readBuffer)) != -1) {
                total += n;
            }
        }
        throughput.megabytes += size / 1e6;
        return total;
    }

    private byte[] compressOnce() throws IOException {
        sink.reset();
        try (OutputStream out = compression.compressor(sink)) {
            out.write(input);
        }
        return sink.toByteArray();
    }

    private byte[] decompressOnce() throws IOException {
        try (InputStream in = compression.decompressor(ByteBuffer.wrap(compressed))) {
            return in.readAllBytes();
        }
    }

    /**
     * JSON lines like an event stream's: repeated field names, increasing ids and timestamps,
     * categorical values, and a short random token per record.
     */
    static byte[] records(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 256);
        long timestamp = 1_700_000_000_000L;
        for (long id = 1_000_000; text.length() < size; id++) {
            timestamp += random.nextInt(50);
            text.append("{\"event_id\":").append(id)
                    .append(",\"user_id\":\"u").append(random.nextInt(100_000))
                    .append("\",\"ts\":").append(timestamp)
                    .append(",\"type\":\"").append(EVENTS[random.nextInt(EVENTS.length)])
                    .append("\",\"country\":\"").append(COUNTRIES[random.nextInt(COUNTRIES.length)])
                    .append("\",\"amount\":").append(random.nextInt(100_000) / 100.0)
                    .append(",\"session\":\"").append(Long.toString(random.nextLong() >>> 1, 36))
                    .append("\"}\n");
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }
}
