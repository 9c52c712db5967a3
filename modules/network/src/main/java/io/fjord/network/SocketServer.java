package io.fjord.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's socket server, after Kafka's {@code SocketServer}: one acceptor thread,
 * {@code num.network.threads} processor event loops, a bounded {@link RequestChannel} feeding
 * {@code num.io.threads} handler threads that call the {@link RequestHandler}, and one response
 * queue per processor.
 *
 * <p>Life cycle: {@link #start} binds and starts every thread; {@link #shutdown} stops accepting,
 * stops reading new requests, lets the requests in flight finish up to a deadline, then closes
 * every connection and stops the threads. A server is started at most once.
 *
 * <p>Two limits change while it runs, as Kafka's dynamic broker settings change them: the number
 * of handler threads ({@link #resizeHandlerThreads}) and {@code max.connections} ({@link
 * #setMaxConnections}).
 */
public final class SocketServer implements AutoCloseable {
    /** How long an idle handler thread waits for a request before checking whether it was retired. */
    private static final long HANDLER_POLL_MS = 300;
    private final NetworkConfig config;
    private final RequestHandler handler;
    private final RequestChannel requestChannel;
    private final RequestMetrics requestMetrics = new RequestMetrics();
    private final ConnectionMetrics connectionMetrics = new ConnectionMetrics();
    private final ClientNotices clientNotices = new ClientNotices();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final RequestMemoryPool memoryPool;
    private final Object idleMonitor = new Object();
    private final boolean epoll;

    private EventLoopGroup acceptorGroup;
    private EventLoopGroup processorGroup;
    private Map<EventExecutor, Processor> processors;
    private ChannelGroup connections;
    private Channel serverChannel;
    /**
     * The handler threads serving now, guarded by its own lock so that a handler thread resizing
     * the pool never waits for a shutdown that waits for its request. Retired ones leave on their own.
     */
    private final Object handlerLock = new Object();
    private List<HandlerThread> handlerThreads;
    private volatile int maxConnections;
    // Set when shutdown starts: no new connections. Handler threads run on until handlersStopped.
    private volatile boolean stopped;
    private volatile boolean handlersStopped;

    public SocketServer(NetworkConfig config, RequestHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.requestChannel = new RequestChannel(config.queuedMaxRequests());
        this.maxConnections = config.maxConnections();
        this.memoryPool = new RequestMemoryPool(config.queuedMaxRequestBytes());
        this.epoll = switch (config.transport()) {
            case "epoll" -> {
                Epoll.ensureAvailability();
                yield true;
            }
            case "nio" -> false;
            default -> Epoll.isAvailable();
        };
    }

    /** Binds the listener and starts the acceptor, processors and handler threads. */
    public synchronized SocketServer start() throws InterruptedException {
        if (acceptorGroup != null) {
            throw new IllegalStateException("already started");
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptorGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fjord-network-acceptor"), io);
        processorGroup = new MultiThreadIoEventLoopGroup(config.numNetworkThreads(),
                new DefaultThreadFactory("fjord-network-processor"), io);
        Map<EventExecutor, Processor> byLoop = new IdentityHashMap<>();
        for (EventExecutor loop : processorGroup) {
            byLoop.put(loop, new Processor((EventLoop) loop));
        }
        processors = byLoop;
        connections = new DefaultChannelGroup("fjord-connections", GlobalEventExecutor.INSTANCE);

        Class<? extends ServerChannel> serverChannelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptorGroup, processorGroup)
                .channel(serverChannelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferHighWaterMark() / 2, config.writeBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        initConnection(channel);
                    }
                });
        if (config.socketSendBufferBytes() != -1) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, config.socketSendBufferBytes());
        }
        if (config.socketReceiveBufferBytes() != -1) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, config.socketReceiveBufferBytes());
        }
        InetSocketAddress address = config.host() == null || config.host().isEmpty()
                ? new InetSocketAddress(config.port()) : new InetSocketAddress(config.host(), config.port());
        serverChannel = bootstrap.bind(address).sync().channel();

        synchronized (handlerLock) {
            handlerThreads = new ArrayList<>(config.numIoThreads());
        }
        resizeHandlerThreads(config.numIoThreads());
        return this;
    }

    /** One request-handler thread; once retired it leaves after its current request. */
    private static final class HandlerThread {
        private Thread thread;
        private volatile boolean retired;
    }

    /**
     * Changes the number of handler threads ({@code num.io.threads}) while serving: new threads
     * start at once; threads beyond the new count finish the request in hand and leave within
     * 300 ms (an idle thread's poll).
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public void resizeHandlerThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("num.io.threads must be at least 1, not " + count);
        }
        synchronized (handlerLock) {
            if (handlerThreads == null) {
                return;
            }
            while (handlerThreads.size() > count) {
                handlerThreads.remove(handlerThreads.size() - 1).retired = true;
            }
            while (handlerThreads.size() < count) {
                HandlerThread handler = new HandlerThread();
                handler.thread = new Thread(() -> runHandler(handler), "fjord-request-handler-" + handlerThreads.size());
                handler.thread.setDaemon(true);
                handler.thread.start();
                handlerThreads.add(handler);
            }
        }
    }

    /** The handler threads serving now. */
    public int handlerThreadCount() {
        synchronized (handlerLock) {
            return handlerThreads == null ? 0 : handlerThreads.size();
        }
    }

    /**
     * Changes {@code max.connections} while serving: connections accepted from now on count
     * against the new limit; open ones stay open.
     */
    public void setMaxConnections(int maxConnections) {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max.connections must be at least 0, not " + maxConnections);
        }
        this.maxConnections = maxConnections;
    }

    private void initConnection(SocketChannel channel) {
        if (stopped || !connectionMetrics.tryOpen(maxConnections)) {
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> connectionMetrics.closed());
        connections.add(channel);
        Processor processor = processors.get(channel.eventLoop());
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, config.connectionsMaxIdleMs(), TimeUnit.MILLISECONDS))
                .addLast("requests", new ConnectionHandler(this, processor, config.socketRequestMaxBytes()));
    }

    private void runHandler(HandlerThread self) {
        while (!handlersStopped && !self.retired) {
            NetworkRequest request;
            try {
                // Bounded, so that a retired thread notices it without being interrupted (which
                // would close any file channel it touches).
                request = requestChannel.poll(HANDLER_POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (request == null) {
                continue;
            }
            request.dequeuedNanos = System.nanoTime();
            requestMetrics.api(request.header().api()).requestQueueTime()
                    .record(request.dequeuedNanos - request.receivedNanos);
            try {
                handler.handle(request);
            } catch (Throwable failure) {
                // The handler's bug, not the connection's: count it, drop that connection, carry on.
                requestMetrics.handlerFailed();
                if (!request.isCompleted()) {
                    request.closeConnection();
                }
            }
        }
    }

    /** The address the listener is bound to (with the real port when 0 was configured). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    public RequestMetrics requestMetrics() {
        return requestMetrics;
    }

    public ConnectionMetrics connectionMetrics() {
        return connectionMetrics;
    }

    ClientNotices clientNotices() {
        return clientNotices;
    }

    /** Requests parsed and not yet answered (or dropped with their connection). */
    public int requestsInFlight() {
        return requestsInFlight.get();
    }

    /**
     * Bytes of requests read and not yet answered, as {@code queued.max.request.bytes} counts them;
     * 0 when that setting is -1 (no bound).
     */
    public long requestBytesInFlight() {
        return memoryPool.used();
    }

    /** The most {@link #requestBytesInFlight()} has ever been; 0 without a bound. */
    public long peakRequestBytesInFlight() {
        return memoryPool.peak();
    }

    RequestMemoryPool memoryPool() {
        return memoryPool;
    }

    /** Requests waiting in the request channel for a handler thread. */
    public int requestQueueSize() {
        return requestChannel.size();
    }

    RequestChannel requestChannel() {
        return requestChannel;
    }

    void requestStarted() {
        requestsInFlight.incrementAndGet();
    }

    void requestFinished() {
        if (requestsInFlight.decrementAndGet() == 0 && stopped) {
            synchronized (idleMonitor) {
                idleMonitor.notifyAll();
            }
        }
    }

    /**
     * Stops the server: no new connections, no new requests read; requests in flight may finish
     * until {@code deadline} has passed; then every connection is closed and every thread stopped.
     *
     * @return whether every request in flight finished before the deadline
     */
    public synchronized boolean shutdown(Duration deadline) throws InterruptedException {
        if (acceptorGroup == null || stopped && handlerThreads == null) {
            return true;
        }
        long end = System.nanoTime() + deadline.toNanos();
        stopped = true;
        serverChannel.close().await();
        List<Future<?>> muted = new ArrayList<>();
        for (Channel channel : connections) {
            ConnectionHandler connection = channel.pipeline().get(ConnectionHandler.class);
            if (connection != null) {
                muted.add(channel.eventLoop().submit(connection::stopReading));
            }
        }
        // Once every connection has stopped reading, the in-flight count can only fall.
        for (Future<?> future : muted) {
            future.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        boolean drained;
        synchronized (idleMonitor) {
            long left;
            while (requestsInFlight.get() > 0 && (left = end - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(idleMonitor, left);
            }
            drained = requestsInFlight.get() == 0;
        }
        connections.close().await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        handlersStopped = true;
        List<HandlerThread> handlers;
        synchronized (handlerLock) {
            handlers = handlerThreads;
            handlerThreads = null;
        }
        for (HandlerThread handler : handlers) {
            handler.thread.interrupt();
        }
        for (HandlerThread handler : handlers) {
            handler.thread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, end - System.nanoTime())) + 1);
        }
        // Requests no handler took: their connections are closed, so they are only freed.
        NetworkRequest left;
        while ((left = requestChannel.poll(0, TimeUnit.NANOSECONDS)) != null) {
            left.connection().abandon(left);
        }
        acceptorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        processorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        acceptorGroup.terminationFuture().await();
        return drained;
    }

    /** {@link #shutdown} with a 30 second deadline. */
    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ofSeconds(30));
    }
}
