package io.fjord.broker;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.schema.Struct;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One blocking connection that speaks Kafka's protocol through the protocol module's codecs, for
 * tests that must send exactly the request they mean (a stale generation, a member that never
 * heartbeats) where Kafka's clients would correct themselves. Requests may be pipelined: a
 * request that the broker parks (JoinGroup, SyncGroup) is answered later, and the broker answers
 * a connection's requests in order.
 */
final class WireClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 60_000;
    /** Larger answers than this are a broken frame in these tests, never something to allocate. */
    private static final int MAX_RESPONSE_BYTES = 16 << 20;

    private final Socket socket;
    private final String clientId;
    private int nextCorrelationId;

    private WireClient(int port, String clientId) throws IOException {
        this.socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.clientId = clientId;
    }

    static WireClient connect(int port, String clientId) throws IOException {
        return new WireClient(port, clientId);
    }

    /** Sends a request with the given correlation id and returns the answer's frame after its size prefix. */
    ByteBuffer roundTrip(ApiKeys api, short version, int correlationId, Struct body) throws IOException {
        write(api, version, correlationId, body);
        return readFrame();
    }

    /** Sends {@code body} as {@code api} at {@code version} and returns its correlation id, without waiting. */
    int send(ApiKeys api, short version, Struct body) throws IOException {
        int correlationId = nextCorrelationId++;
        write(api, version, correlationId, body);
        return correlationId;
    }

    /** Reads the next answer, which must carry {@code correlationId}, and decodes it as {@code api} at {@code version}. */
    Struct receive(ApiKeys api, short version, int correlationId) throws IOException {
        MessageCodec.DecodedResponse response = MessageCodec.decodeResponse(api, version, readFrame());
        assertEquals(correlationId, response.header().correlationId(), "answers come in request order");
        return response.body();
    }

    /** Sends a request and waits for its answer. */
    Struct call(ApiKeys api, short version, Struct body) throws IOException {
        return receive(api, version, send(api, version, body));
    }

    private void write(ApiKeys api, short version, int correlationId, Struct body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(MessageCodec.encodeRequest(new RequestHeader(api, version, correlationId, clientId), body)
                .toByteBuffer().array());
        out.flush();
    }

    /** Writes {@code bytes} as they are, for requests the codecs would refuse to encode. */
    void writeRaw(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Reads the next answer's frame, after its size prefix. */
    ByteBuffer readFrame() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        if (size < 0 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("response frame of " + size + " bytes");
        }
        byte[] frame = new byte[size];
        in.readFully(frame);
        return ByteBuffer.wrap(frame);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
