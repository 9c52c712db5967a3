package io.fjord.perf;

import io.fjord.network.NetworkConfig;
import io.fjord.network.SocketServer;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.types.WireWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests through the whole reactor over loopback: framing, header parsing, the request channel,
 * a handler thread that echoes the body, the processor's response queue and the write. {@code
 * oneAtATime} is the latency of a single round trip; {@code pipelined} sends 64 requests before
 * reading the 64 answers (as a client with several requests in flight over its connection would),
 * reported per request. The client is a plain blocking socket on the same machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetworkRoundTripBenchmark {
    private static final int PIPELINE = 64;

    /** Request body bytes (echoed back). */
    @Param({"100", "16384"})
    public int bodyBytes;

    /** {@code auto} is epoll on Linux x86_64. */
    @Param({"auto", "nio"})
    public String transport;

    private SocketServer server;
    private Socket socket;
    private DataOutputStream out;
    private DataInputStream in;
    private byte[] frame;
    private byte[] response;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new SocketServer(NetworkConfig.from("127.0.0.1", 0, Map.of(NetworkConfig.TRANSPORT, transport)),
                request -> request.sendResponse(new WireWriter().writeRaw(request.body()).finish())).start();
        WireWriter request = new WireWriter();
        new RequestHeader(ApiKeys.METADATA, (short) 4, 1, "bench").write(request);
        request.writeRaw(ByteBuffer.allocate(bodyBytes));
        ByteBuffer body = request.finish().toByteBuffer();
        frame = ByteBuffer.allocate(4 + body.remaining()).putInt(body.remaining()).put(body).array();
        response = new byte[4 + bodyBytes];
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server.boundAddress());
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        socket.close();
        server.shutdown(Duration.ofSeconds(5));
    }

    @Benchmark
    public int oneAtATime() throws IOException {
        out.write(frame);
        out.flush();
        return readResponse();
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int pipelined() throws IOException {
        for (int i = 0; i < PIPELINE; i++) {
            out.write(frame);
        }
        out.flush();
        int sum = 0;
        for (int i = 0; i < PIPELINE; i++) {
            sum += readResponse();
        }
        return sum;
    }

    private int readResponse() throws IOException {
        int size = in.readInt();
        if (size != response.length) {
            throw new IOException("unexpected response size " + size);
        }
        in.readFully(response);
        return size;
    }
}
