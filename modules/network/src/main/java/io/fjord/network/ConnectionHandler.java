package io.fjord.network;

import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.errors.UnknownApiException;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.FileRecordSet;
import io.fjord.protocol.types.Frames;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;
import io.fjord.protocol.types.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's state on its processor's event loop: framing, header parsing, muting and the
 * writing of responses. All fields are confined to the event loop.
 *
 * <p>Invariants:
 * <ul>
 *   <li>At most one request is in flight ({@code inFlight}): from the moment its frame is parsed
 *       until its response has been written, or it completed without one. Meanwhile the
 *       connection is muted (auto-read off) and buffered bytes stay unparsed, so requests are
 *       handled, and answered, in arrival order.</li>
 *   <li>The connection also stays muted while its outbound buffer is above the high water mark,
 *       so a client that never reads cannot make the broker queue responses without bound.</li>
 *   <li>A size prefix that is negative or above {@code socket.request.max.bytes} closes the
 *       connection as soon as its four bytes are there; nothing is ever allocated from a size
 *       prefix: {@code cumulation} holds only bytes that actually arrived.</li>
 *   <li>Once a valid size prefix is there, the frame's size is reserved in the server's
 *       {@link RequestMemoryPool} ({@code headReservation}) before its body is read; while the
 *       pool refuses, the connection is muted ({@code waitingForMemory}) until memory returns.
 *       The reservation passes to the request and is returned when the request is done with, or
 *       with the connection.</li>
 * </ul>
 *
 * <p>Buffer ownership: {@code cumulation} is this handler's and released on close; each frame is
 * a retained slice of it owned by its {@link NetworkRequest} and released by {@link #finish}.
 * Response parts are wrapped, not copied, and released by Netty once written.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private enum Stage {
        /** Parsed, waiting for room in the full request channel. */
        WAITING_FOR_QUEUE,
        /** In the request channel or with a handler. */
        HANDLING,
        /** The response is being written. */
        WRITING
    }

    private final SocketServer server;
    private final Processor processor;
    private final int maxFrameSize;
    private final Runnable retryEnqueue = this::retryEnqueue;
    private final Runnable scheduleRetry = this::scheduleRetry;
    private final Runnable memoryWakeup = this::scheduleMemoryRetry;
    private final Runnable memoryReturned = this::memoryReturned;

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private NetworkRequest inFlight;
    private Stage stage;
    private boolean stopping;
    /** The pool bytes held for the frame at the head of {@code cumulation}; -1 for none. */
    private int headReservation = -1;
    private boolean waitingForMemory;

    ConnectionHandler(SocketServer server, Processor processor, int maxFrameSize) {
        this.server = server;
        this.processor = processor;
        this.maxFrameSize = maxFrameSize;
    }

    Processor processor() {
        return processor;
    }

    SocketServer server() {
        return server;
    }

    SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (cumulation == null) {
            cumulation = in;
        } else {
            cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(context.alloc(), cumulation, in);
        }
        parseFrames();
    }

    /** Parses buffered frames while the connection may take a request, then sets reading on or off. */
    private void parseFrames() {
        while (inFlight == null && !stopping && cumulation != null && ctx.channel().isActive()) {
            int readable = cumulation.readableBytes();
            if (readable < Frames.SIZE_PREFIX_BYTES) {
                break;
            }
            int size = cumulation.getInt(cumulation.readerIndex());
            if (size < 0 || size > maxFrameSize) {
                server.connectionMetrics().closedInvalid();
                closeNow();
                return;
            }
            if (headReservation < 0 && !reserve(size)) {
                break;
            }
            if (readable - Frames.SIZE_PREFIX_BYTES < size) {
                break;
            }
            cumulation.skipBytes(Frames.SIZE_PREFIX_BYTES);
            ByteBuf frame = cumulation.readRetainedSlice(size);
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
            int reserved = headReservation;
            headReservation = -1;
            accept(frame, reserved);
        }
        updateReading();
    }

    /** Reserves the next frame's size in the memory pool, or mutes the connection until memory returns. */
    private boolean reserve(int size) {
        RequestMemoryPool pool = server.memoryPool();
        if (!pool.tryReserve(size)) {
            waitingForMemory = true;
            pool.onAvailable(memoryWakeup);
            // Memory may have come back between the refusal and the registration.
            if (!pool.tryReserve(size)) {
                return false;
            }
        }
        waitingForMemory = false;
        headReservation = size;
        return true;
    }

    /** Runs on the thread that returned memory: hands the retry to the event loop. */
    private void scheduleMemoryRetry() {
        try {
            processor.eventLoop().execute(memoryReturned);
        } catch (RejectedExecutionException stopped) {
            // The event loop is shut down and the connection gone with it.
        }
    }

    private void memoryReturned() {
        if (waitingForMemory) {
            waitingForMemory = false;
            parseFrames();
        }
    }

    /** Returns pool bytes held by a request of this connection; safe on any thread. */
    void releaseMemory(int bytes) {
        server.memoryPool().release(bytes);
    }

    private void accept(ByteBuf frame, int reserved) {
        long now = System.nanoTime();
        ByteBuffer bytes = frame.nioBuffer().order(ByteOrder.BIG_ENDIAN);
        RequestHeader header;
        try {
            header = RequestHeader.read(new WireReader(bytes));
        } catch (UnknownApiException unknown) {
            notServed(unknown.clientId(), "API key " + unknown.apiKey(), unknown.apiVersion(), "which Fjord does not speak");
            frame.release();
            releaseMemory(reserved);
            server.connectionMetrics().closedInvalid();
            closeNow();
            return;
        } catch (ProtocolException malformed) {
            // Unknown API key or a header that does not parse: no response schema to answer with.
            frame.release();
            releaseMemory(reserved);
            server.connectionMetrics().closedInvalid();
            closeNow();
            return;
        }
        ApiKeys api = header.api();
        if (!api.isVersionSupported(header.apiVersion()) && api != ApiKeys.API_VERSIONS) {
            notServed(header.clientId(), api.apiName() + " (key " + api.id() + ")", header.apiVersion(),
                    "of which Fjord serves versions " + api.oldestVersion() + " to " + api.latestVersion());
            frame.release();
            releaseMemory(reserved);
            server.connectionMetrics().closedInvalid();
            closeNow();
            return;
        }
        NetworkRequest request = new NetworkRequest(this, header, frame, bytes.slice(), reserved, now);
        inFlight = request;
        server.requestStarted();
        stage = Stage.HANDLING;
        if (!server.requestChannel().offer(request)) {
            stage = Stage.WAITING_FOR_QUEUE;
            waitForQueue();
        }
    }

    /** Tells the operator, once per client and API, what a client asked for that is not served. */
    void notServed(String clientId, String api, short version, String why) {
        server.clientNotices().warnOnce(String.valueOf(clientId), api, "Client " + clientId + " at "
                + remoteAddress() + " asked for " + api + " version " + version + ", " + why
                + "; closing the connection (logged once per client and API)");
    }

    private void waitForQueue() {
        server.requestChannel().onSpace(scheduleRetry);
        // A handler may have made room between the failed offer and the registration.
        retryEnqueue();
    }

    /** Runs on a handler thread when the request channel has room: hands the retry to the event loop. */
    private void scheduleRetry() {
        try {
            processor.eventLoop().execute(retryEnqueue);
        } catch (RejectedExecutionException stopped) {
            // The event loop is shut down and the connection gone with it.
        }
    }

    private void retryEnqueue() {
        if (stage != Stage.WAITING_FOR_QUEUE || inFlight == null) {
            return;
        }
        if (server.requestChannel().offer(inFlight)) {
            stage = Stage.HANDLING;
        } else {
            server.requestChannel().onSpace(scheduleRetry);
        }
    }

    /** Writes a completed request's response (or not), on the event loop. */
    void respond(NetworkRequest request) {
        long drainedNanos = System.nanoTime();
        RequestMetrics.ApiMetrics metrics = server.requestMetrics().api(request.header().api());
        metrics.handleTime().record(request.completedNanos - request.dequeuedNanos);
        metrics.responseQueueTime().record(drainedNanos - request.completedNanos);
        if (request != inFlight || !ctx.channel().isActive()) {
            // The connection closed while the handler worked on the request.
            abandon(request);
            return;
        }
        switch (request.completion()) {
            case NO_RESPONSE -> {
                finish(request);
                parseFrames();
            }
            case CLOSE -> {
                finish(request);
                closeNow();
            }
            case RESPONSE -> write(request, drainedNanos, metrics);
            default -> throw new IllegalStateException(request.completion().toString());
        }
    }

    private void write(NetworkRequest request, long drainedNanos, RequestMetrics.ApiMetrics metrics) {
        stage = Stage.WRITING;
        EncodedMessage body = request.responseBody();
        RequestHeader header = request.header();
        boolean headerTags = header.responseHeaderVersion() >= 1;
        int headerSize = 4 + (headerTags ? 1 : 0);
        // Unpooled heap buffer, released by Netty once written.
        ByteBuf prefix = Unpooled.buffer(Frames.SIZE_PREFIX_BYTES + headerSize);
        prefix.writeInt(headerSize + body.sizeInBytes());
        prefix.writeInt(header.correlationId());
        if (headerTags) {
            prefix.writeByte(0);
        }
        List<Object> parts = new ArrayList<>(body.partCount() + 1);
        parts.add(prefix);
        body.visit(new EncodedMessage.PartVisitor() {
            @Override
            public void encoded(ByteBuffer bytes) {
                if (bytes.hasRemaining()) {
                    parts.add(Unpooled.wrappedBuffer(bytes));
                }
            }

            @Override
            public void records(RecordSet records) {
                if (records.sizeInBytes() > 0) {
                    parts.add(toWritable(records));
                }
            }
        });
        int last = parts.size() - 1;
        for (int i = 0; i < last; i++) {
            ctx.write(parts.get(i), ctx.voidPromise());
        }
        ChannelPromise written = ctx.newPromise();
        written.addListener((ChannelFutureListener) future -> {
            if (future.isSuccess()) {
                metrics.responseSendTime().record(System.nanoTime() - drainedNanos);
                finish(request);
                parseFrames();
            } else {
                abandon(request);
                closeNow();
            }
        });
        ctx.writeAndFlush(parts.get(last), written);
    }

    /** The wire form of a record-set part: a file region (sendfile), a wrapped buffer, or a copy. */
    private static Object toWritable(RecordSet records) {
        if (records instanceof FileRecordSet file) {
            return new SharedFileRegion(file.channel(), file.position(), file.sizeInBytes());
        }
        if (records instanceof MemoryRecordSet memory) {
            return Unpooled.wrappedBuffer(memory.buffer());
        }
        ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(copy);
        return Unpooled.wrappedBuffer(copy.flip());
    }

    /** The request is done with: free its frame and let the connection read again. */
    private void finish(NetworkRequest request) {
        if (inFlight == request) {
            inFlight = null;
            stage = null;
        }
        request.releaseFrame();
        server.requestFinished();
    }

    /** Frees a request that will never be answered; safe on any thread once its connection is gone. */
    void abandon(NetworkRequest request) {
        request.releaseFrame();
        server.requestFinished();
    }

    private void updateReading() {
        boolean read = inFlight == null && !stopping && !waitingForMemory && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Stops taking new requests (server shutdown); the one in flight still completes. */
    void stopReading() {
        stopping = true;
        updateReading();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            parseFrames();
        } else {
            updateReading();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        // Idle means nothing read or written for connections.max.idle.ms. A request with the
        // handler (a long poll) keeps its connection; a response stuck on an unread socket does not.
        if (event instanceof IdleStateEvent && (inFlight == null || stage == Stage.WRITING)) {
            server.connectionMetrics().closedIdle();
            closeNow();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (headReservation >= 0) {
            releaseMemory(headReservation);
            headReservation = -1;
        }
        if (inFlight != null && stage == Stage.WAITING_FOR_QUEUE) {
            NetworkRequest dropped = inFlight;
            inFlight = null;
            stage = null;
            abandon(dropped);
        }
        // A request with a handler is freed when its completion arrives (respond sees the closed
        // channel); one being written is freed by its failed write promise.
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        closeNow();
    }

    private void closeNow() {
        ctx.channel().close();
    }
}
