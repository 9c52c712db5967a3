package io.fjord.client.network;

import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The client's state for one node: its address, the socket when there is one, the requests queued
 * for it, the request being written and those written and not yet answered.
 *
 * <p>Invariants: only the I/O thread touches it (the volatile views excepted); at most one request
 * is being written; {@code inFlight} is in write order, which is the order responses come back in;
 * {@code writing + inFlight} never exceeds the in-flight limit, except for the ApiVersions request
 * of the negotiation, which goes first on an empty connection.
 */
final class NodeConnection {

    enum State { DISCONNECTED, CONNECTING, NEGOTIATING, READY }

    final int nodeId;
    InetSocketAddress address;
    State state = State.DISCONNECTED;
    SocketChannel channel;
    SelectionKey key;

    final ArrayDeque<ClientRequest> queued = new ArrayDeque<>();
    final ArrayDeque<ClientRequest> inFlight = new ArrayDeque<>();
    ClientRequest writing;
    private ByteBuffer[] writeBuffers;
    private int writeIndex;

    private final ByteBuffer sizePrefix = ByteBuffer.allocate(4);
    private ByteBuffer frame;

    long lastActivityNs;
    long connectDeadlineNs;
    long nextConnectNs;
    int consecutiveFailures;

    // Views for other threads, published by the I/O thread.
    volatile NodeApiVersions apiVersions;
    volatile boolean readyView;
    volatile int pendingView;

    NodeConnection(int nodeId, InetSocketAddress address) {
        this.nodeId = nodeId;
        this.address = address;
    }

    /** Requests written or being written, and not answered. */
    int inFlightCount() {
        return inFlight.size() + (writing == null ? 0 : 1);
    }

    boolean isIdle() {
        return writing == null && inFlight.isEmpty() && queued.isEmpty();
    }

    void publish() {
        readyView = state == State.READY;
        pendingView = queued.size() + inFlightCount();
    }

    /** Encodes {@code request} as the next frame to write; the caller then calls {@link #write}. */
    void startWriting(ClientRequest request, String clientId) {
        EncodedMessage encoded = MessageCodec.encodeRequest(
                new RequestHeader(request.api, request.version, request.correlationId, clientId), request.body);
        ByteBuffer[] buffers = new ByteBuffer[encoded.partCount()];
        encoded.visit(new EncodedMessage.PartVisitor() {
            private int index;

            @Override
            public void encoded(ByteBuffer bytes) {
                buffers[index++] = bytes;
            }

            @Override
            public void records(RecordSet records) {
                // In-memory record sets (a producer's batches) go out as they are, uncopied.
                if (records instanceof MemoryRecordSet memory) {
                    buffers[index++] = memory.buffer();
                } else {
                    ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
                    records.copyTo(copy);
                    buffers[index++] = copy.flip();
                }
            }
        });
        writing = request;
        writeBuffers = buffers;
        writeIndex = 0;
    }

    /**
     * Writes as much of the current frame as the socket takes.
     *
     * @return whether the frame is fully written
     */
    boolean write() throws IOException {
        while (writeIndex < writeBuffers.length) {
            long written = channel.write(writeBuffers, writeIndex, writeBuffers.length - writeIndex);
            while (writeIndex < writeBuffers.length && !writeBuffers[writeIndex].hasRemaining()) {
                writeIndex++;
            }
            if (written == 0 && writeIndex < writeBuffers.length) {
                return false;
            }
        }
        writeBuffers = null;
        return true;
    }

    /** The request whose frame was just written, no longer the one being written. */
    ClientRequest finishWriting() {
        ClientRequest request = writing;
        writing = null;
        return request;
    }

    /**
     * Reads the next whole response frame, if the socket holds it.
     *
     * @return the frame (after its size prefix), or {@code null} if more bytes are needed
     * @throws DisconnectException on end of stream or a frame size outside 4..{@code maxResponseBytes}
     */
    ByteBuffer readFrame(int maxResponseBytes) throws IOException {
        if (frame == null) {
            if (channel.read(sizePrefix) < 0) {
                throw new DisconnectException("Node " + nodeId + " closed the connection");
            }
            if (sizePrefix.hasRemaining()) {
                return null;
            }
            int size = sizePrefix.getInt(0);
            if (size < 4 || size > maxResponseBytes) {
                throw new DisconnectException("Node " + nodeId + " sent a response frame of " + size
                        + " bytes, outside 4 to " + maxResponseBytes);
            }
            frame = ByteBuffer.allocate(size);
        }
        if (channel.read(frame) < 0) {
            throw new DisconnectException("Node " + nodeId + " closed the connection");
        }
        if (frame.hasRemaining()) {
            return null;
        }
        ByteBuffer whole = frame.flip();
        frame = null;
        sizePrefix.clear();
        return whole;
    }

    /** Closes the socket and forgets partial reads and writes; requests are the caller's to fail. */
    void closeSocket() {
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing is best effort: the socket is gone either way.
            }
            channel = null;
        }
        writeBuffers = null;
        frame = null;
        sizePrefix.clear();
        state = State.DISCONNECTED;
    }
}
