/**
 * The broker's reactor, after Kafka's {@code SocketServer}, {@code Processor} and {@code
 * RequestChannel}.
 *
 * <h2>Threads and queues</h2>
 * <ul>
 *   <li>One acceptor event loop accepts connections; over {@code max.connections} a new
 *       connection is closed at once.</li>
 *   <li>{@code num.network.threads} processor event loops read, frame, parse request headers and
 *       write responses; they never block. A connection belongs to one processor for its life.</li>
 *   <li>A {@code RequestChannel} (a bounded JCTools MPMC queue of {@code
 *       queued.max.requests}) feeds {@code num.io.threads} handler threads, which park when it is
 *       empty and call the broker's {@link io.fjord.network.RequestHandler}. When it is full, the
 *       processor keeps the parsed request and retries as soon as a handler makes room; the
 *       connection stays muted and nothing is dropped.</li>
 *   <li>Each processor has its own response queue (a JCTools MPSC queue), filled by whichever
 *       thread completes a request and drained by the processor's event loop.</li>
 * </ul>
 *
 * <h2>Ordering and back-pressure</h2>
 * A connection has at most one request in flight: it is muted (no reads) from the moment a frame
 * is parsed until its response has been written to the socket, so responses leave in request
 * order. It also stays muted while its outbound buffer is above the write-buffer high water mark,
 * so a client that sends requests but never reads holds at most one response in the broker's
 * memory.
 *
 * <h2>Transport</h2>
 * Netty's native epoll transport where it loads (Linux x86_64), NIO elsewhere or when {@code
 * fjord.network.transport=nio}. Both work on the module path: Netty 4.2's jars are explicit
 * modules, and the native library ships as the class-less module {@code
 * io.netty.transport.epoll.linux.x86_64}, which this module requires so that it is resolved and
 * linked into an image (its {@code META-INF/native} resource is not encapsulated, so Netty finds
 * it). At run time Netty copies the library to a temporary directory ({@code
 * io.netty.native.workdir}); where that is impossible, epoll is unavailable and NIO is used. File
 * regions are sent with sendfile by both: natively by epoll, through {@code
 * FileChannel.transferTo} by NIO.
 */
package io.fjord.network;
