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
 */
public final class SocketServer implements AutoCloseable {
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
    private List<Thread> handlerThreads;
    // Set when shutdown starts: no new connections. Handler threads run on until handlersStopped.
    private volatile boolean stopped;
    private volatile boolean handlersStopped;

    public SocketServer(NetworkConfig config, RequestHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.requestChannel = new RequestChannel(config.queuedMaxRequests());
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

        List<Thread> threads = new ArrayList<>(config.numIoThreads());
        for (int i = 0; i < config.numIoThreads(); i++) {
            Thread thread = new Thread(this::runHandler, "fjord-request-handler-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        handlerThreads = threads;
        return this;
    }

    private void initConnection(SocketChannel channel) {
        if (stopped || !connectionMetrics.tryOpen(config.maxConnections())) {
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

    private void runHandler() {
        while (!handlersStopped) {
            NetworkRequest request;
            try {
                request = requestChannel.take();
            } catch (InterruptedException e) {
                return;
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
        for (Thread thread : handlerThreads) {
            thread.interrupt();
        }
        for (Thread thread : handlerThreads) {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, end - System.nanoTime())) + 1);
        }
        handlerThreads = null;
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
