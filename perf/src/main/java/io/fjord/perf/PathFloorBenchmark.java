package io.fjord.perf;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The floors of the produce path's CPU budget: what the work every produced byte needs costs on
 * this machine, with nothing of a broker around it. Each operation moves 1 MiB from (or into) a
 * direct buffer, as the broker's network buffers are: a CRC-32C pass, a {@code FileChannel.write}
 * at the end of a file (the page cache, no fsync), and a read from a loopback socket that a
 * writer thread keeps full. Seconds per GiB = 1024 / (operations per second).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathFloorBenchmark {

    private static final int MIB = 1024 * 1024;
    /** The file is cut back here, so it stays in the page cache and the disk does not fill. */
    private static final long FILE_LIMIT = 512L * MIB;

    private ByteBuffer data;
    private ByteBuffer readBuffer;
    private Path folder;
    private FileChannel file;
    private long filePosition;
    private ServerSocketChannel server;
    private SocketChannel reader;
    private Thread writer;
    private volatile boolean stopping;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        byte[] bytes = new byte[MIB];
        new Random(42).nextBytes(bytes);
        data = ByteBuffer.allocateDirect(MIB).put(bytes).flip();
        readBuffer = ByteBuffer.allocateDirect(MIB);
        folder = Files.createTempDirectory("fjord-floor");
        file = FileChannel.open(folder.resolve("floor.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel sender = SocketChannel.open(server.getLocalAddress());
        reader = server.accept();
        writer = new Thread(() -> keepWriting(sender), "floor-socket-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes the 1 MiB block to the socket again and again, until the trial ends. */
    private void keepWriting(SocketChannel sender) {
        ByteBuffer block = data.duplicate();
        try (sender) {
            while (!stopping) {
                if (!block.hasRemaining()) {
                    block.clear();
                }
                sender.write(block);
            }
        } catch (IOException e) {
            // The reader closed at the trial's end.
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stopping = true;
        reader.close();
        server.close();
        writer.join(10_000);
        file.close();
        LogBenchmarkSupport.deleteRecursively(folder);
    }

    @Benchmark
    public long crc32c() {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return crc.getValue();
    }

    @Benchmark
    public long fileChannelWrite() throws IOException {
        if (filePosition >= FILE_LIMIT) {
            file.truncate(0);
            filePosition = 0;
        }
        ByteBuffer bytes = data.duplicate();
        while (bytes.hasRemaining()) {
            filePosition += file.write(bytes, filePosition);
        }
        return filePosition;
    }

    @Benchmark
    public int loopbackSocketRead() throws IOException {
        readBuffer.clear();
        while (readBuffer.hasRemaining()) {
            if (reader.read(readBuffer) < 0) {
                throw new IOException("the writer closed the socket");
            }
        }
        return readBuffer.position();
    }
}
