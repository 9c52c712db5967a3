package io.fjord.broker;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One blocking connection that speaks with Kafka's own request and response classes, for APIs that
 * Kafka's current clients no longer send (AlterConfigs) or for versions a test pins: the bytes on
 * the wire are Kafka's, not Fjord's, so the broker is checked against Kafka's encoding.
 */
final class KafkaWire implements AutoCloseable {

    private final Socket socket;
    private int nextCorrelationId;

    KafkaWire(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
    }

    /** Sends {@code request} as {@code api} at {@code version} and returns Kafka's parsing of the answer. */
    AbstractResponse call(ApiKeys api, short version, ApiMessage request) throws IOException {
        RequestHeader header = new RequestHeader(api, version, "kafka-wire", nextCorrelationId++);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = header.headerVersion();
        int headerSize = header.data().size(cache, headerVersion);
        int bodySize = request.size(cache, version);
        ByteBuffer frame = ByteBuffer.allocate(4 + headerSize + bodySize).putInt(headerSize + bodySize);
        ByteBufferAccessor out = new ByteBufferAccessor(frame);
        header.data().write(out, cache, headerVersion);
        request.write(out, cache, version);
        OutputStream stream = socket.getOutputStream();
        stream.write(frame.array());
        stream.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] answer = new byte[in.readInt()];
        in.readFully(answer);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
