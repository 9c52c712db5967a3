/**
 * The broker's reactor on Netty, after Kafka's SocketServer: one acceptor, processor event loops
 * that frame requests and parse headers, a bounded request channel to the handler threads, and
 * per-processor response queues drained by the event loops. It knows frames and headers, not what
 * requests mean: API logic is a {@link io.fjord.network.RequestHandler} the broker supplies.
 */
module io.fjord.network {
    requires transitive io.fjord.protocol;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    // Only the native library for Linux x86_64 (a resource, no classes): requiring it puts it in
    // the module graph and in a jlink image. Elsewhere it fails to load and NIO is used.
    requires io.netty.transport.epoll.linux.x86_64;
    requires org.jctools.core;
    // What a client asked for that is not served is reported through the JDK's logging.
    requires java.logging;

    exports io.fjord.network;
}
