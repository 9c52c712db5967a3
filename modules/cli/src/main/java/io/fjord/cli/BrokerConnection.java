package io.fjord.cli;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.RequestHeader;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A minimal blocking connection to one broker for the console tools: one request at a time over a
 * plain socket, encoded and decoded with the protocol module's codecs. Fjord has no client module
 * yet; this is deliberately not one (no metadata cache, no retries, no pipelining).
 *
 * <p>Response frames are read into a fresh array per response; decoded {@code bytes} and
 * {@code records} values are slices of it and stay valid after the next request.
 */
final class BrokerConnection implements AutoCloseable {

    /** Bigger response frames are refused rather than allocated (Kafka's default socket.request.max.bytes). */
    static final int MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId;

    private BrokerConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects to {@code host:port} (the first of a comma-separated bootstrap list). */
    static BrokerConnection open(String bootstrapServers, int timeoutMs) throws IOException {
        String first = bootstrapServers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon <= 0 || colon == first.length() - 1) {
            throw new IllegalArgumentException("Bootstrap server '" + first + "' is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(first.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bootstrap server '" + first + "' has no numeric port");
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(first.substring(0, colon), port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            socket.setTcpNoDelay(true);
            return new BrokerConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code request} at {@code version} and waits for the response body, a {@code responseType}. */
    <R extends ApiMessage> R send(short version, ApiMessage request, Class<R> responseType) throws IOException {
        ApiKeys api = ApiKeys.forId(request.apiKey());
        int correlationId = nextCorrelationId++;
        ByteBuffer frame = MessageCodec.encodeRequest(
                new RequestHeader(api, version, correlationId, "fjord-console"), request).toByteBuffer();
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        int size = in.readInt();
        if (size < 4 || size > MAX_RESPONSE_BYTES) {
            throw new IOException("Response frame of " + size + " bytes from the broker is out of range");
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        MessageCodec.DecodedResponse response = MessageCodec.decodeResponse(api, version, ByteBuffer.wrap(bytes));
        if (response.header().correlationId() != correlationId) {
            throw new IOException("Response correlation id " + response.header().correlationId()
                    + " does not match request " + correlationId);
        }
        return responseType.cast(response.body());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
