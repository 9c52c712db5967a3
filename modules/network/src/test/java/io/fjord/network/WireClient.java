package io.fjord.network;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.types.WireWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A blocking test client speaking size-prefixed frames over a real socket; every read has a deadline. */
final class WireClient implements AutoCloseable {
    static final int TIMEOUT_MS = 20_000;

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    WireClient(InetSocketAddress server) throws IOException {
        this(server, -1);
    }

    /** @param receiveBufferBytes SO_RCVBUF to ask for before connecting, or -1 for the default */
    WireClient(InetSocketAddress server, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(server, TIMEOUT_MS);
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    /** A request frame body: a v1/v2 header written by the protocol module, then {@code body}. */
    static ByteBuffer request(ApiKeys api, short version, int correlationId, ByteBuffer body) {
        WireWriter writer = new WireWriter();
        new RequestHeader(api, version, correlationId, "wire-client").write(writer);
        writer.writeRaw(body);
        return writer.finish().toByteBuffer();
    }

    /** Writes one frame (size prefix added) without flushing. */
    WireClient write(ByteBuffer frameBody) throws IOException {
        out.writeInt(frameBody.remaining());
        ByteBuffer copy = frameBody.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        out.write(bytes);
        return this;
    }

    WireClient send(ByteBuffer frameBody) throws IOException {
        write(frameBody);
        return flush();
    }

    WireClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        return flush();
    }

    WireClient flush() throws IOException {
        out.flush();
        return this;
    }

    /** Reads one response frame (without its size prefix). */
    ByteBuffer receive() throws IOException {
        int size = in.readInt();
        if (size < 0 || size > 64 << 20) {
            throw new IOException("implausible response size " + size);
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * Whether the server closes the connection within the deadline: a read ends with end of
     * stream or a reset. Any bytes that arrive first are skipped.
     */
    boolean closedByServer() throws IOException {
        InputStream raw = in;
        try {
            while (raw.read() != -1) {
                // skip
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
