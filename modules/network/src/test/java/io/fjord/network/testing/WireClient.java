package io.fjord.network.testing;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.types.WireWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A blocking test client over a real socket; every read has a deadline. It speaks size-prefixed
 * frames as they are, for tests of framing and hostile input, and typed requests and responses
 * through the protocol module's codecs, for tests that must send exactly the request they mean (a
 * stale generation, a member that never heartbeats) where Kafka's clients would correct themselves.
 *
 * <p>Requests may be pipelined: a server answers a connection's requests in order, and one it parks
 * (a JoinGroup waiting for its rebalance) is answered later.
 */
public final class WireClient implements AutoCloseable {

    /** Long enough for a request the broker parks until a rebalance completes. */
    public static final int READ_TIMEOUT_MS = 60_000;
    /** Larger answers than this are a broken frame in these tests, never something to allocate. */
    private static final int MAX_RESPONSE_BYTES = 16 << 20;
    private static final String DEFAULT_CLIENT_ID = "wire-client";

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final String clientId;
    private int nextCorrelationId;

    public WireClient(InetSocketAddress server) throws IOException {
        this(server, -1, DEFAULT_CLIENT_ID);
    }

    /** @param receiveBufferBytes SO_RCVBUF to ask for before connecting, or -1 for the default */
    public WireClient(InetSocketAddress server, int receiveBufferBytes) throws IOException {
        this(server, receiveBufferBytes, DEFAULT_CLIENT_ID);
    }

    private WireClient(InetSocketAddress server, int receiveBufferBytes, String clientId) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.connect(server, READ_TIMEOUT_MS);
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.clientId = clientId;
    }

    /** A connection to {@code port} on 127.0.0.1 whose typed requests carry {@code clientId}. */
    public static WireClient connect(int port, String clientId) throws IOException {
        return new WireClient(new InetSocketAddress("127.0.0.1", port), -1, clientId);
    }

    /** A request frame body: a v1/v2 header written by the protocol module, then {@code body} as it is. */
    public static ByteBuffer request(ApiKeys api, short version, int correlationId, ByteBuffer body) {
        WireWriter writer = new WireWriter();
        new RequestHeader(api, version, correlationId, DEFAULT_CLIENT_ID).write(writer);
        writer.writeRaw(body);
        return writer.finish().toByteBuffer();
    }

    /** Writes one frame (size prefix added) without flushing. */
    public WireClient write(ByteBuffer frameBody) throws IOException {
        out.writeInt(frameBody.remaining());
        ByteBuffer copy = frameBody.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        out.write(bytes);
        return this;
    }

    /** Writes one frame (size prefix added) and flushes. */
    public WireClient send(ByteBuffer frameBody) throws IOException {
        write(frameBody);
        return flush();
    }

    /** Writes {@code bytes} as they are, for frames no codec would encode, and flushes. */
    public WireClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        return flush();
    }

    public WireClient flush() throws IOException {
        out.flush();
        return this;
    }

    /** Reads the next response frame, after its size prefix. */
    public ByteBuffer receive() throws IOException {
        int size = in.readInt();
        if (size < 0 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("implausible response size " + size);
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * Sends {@code request} at {@code version} with the next correlation id and returns that id,
     * without waiting for the answer.
     */
    public int send(short version, ApiMessage request) throws IOException {
        int correlationId = nextCorrelationId++;
        writeRequest(version, correlationId, request);
        return correlationId;
    }

    /**
     * Reads the next answer, which must carry {@code correlationId}, and decodes it as the response
     * of {@code api} at {@code version}.
     */
    public <R extends ApiMessage> R receive(ApiKeys api, short version, int correlationId, Class<R> responseType)
            throws IOException {
        MessageCodec.DecodedResponse response = MessageCodec.decodeResponse(api, version, receive());
        assertEquals(correlationId, response.header().correlationId(), "answers come in request order");
        return responseType.cast(response.body());
    }

    /** Sends {@code request} at {@code version} and waits for its answer. */
    public <R extends ApiMessage> R call(short version, ApiMessage request, Class<R> responseType) throws IOException {
        return receive(ApiKeys.forId(request.apiKey()), version, send(version, request), responseType);
    }

    /**
     * Sends {@code request} with the given correlation id and returns the answer's frame undecoded,
     * after its size prefix, for tests that check the response header too.
     */
    public ByteBuffer roundTrip(short version, int correlationId, ApiMessage request) throws IOException {
        writeRequest(version, correlationId, request);
        return receive();
    }

    private void writeRequest(short version, int correlationId, ApiMessage request) throws IOException {
        RequestHeader header = new RequestHeader(ApiKeys.forId(request.apiKey()), version, correlationId, clientId);
        out.write(MessageCodec.encodeRequest(header, request).toByteBuffer().array());
        flush();
    }

    /**
     * Whether the server closes the connection within the deadline: a read ends with end of
     * stream or a reset. Any bytes that arrive first are skipped.
     */
    public boolean closedByServer() throws IOException {
        try {
            while (in.read() != -1) {
                continue;
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
