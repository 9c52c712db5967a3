/**
 * The one network client of Fjord: the producer, the admin client, the cluster controller and the
 * replica fetchers all talk to brokers through {@link io.fjord.client.network.NetworkClient}.
 *
 * <p>The public API:
 * <ul>
 *   <li>{@link io.fjord.client.network.NetworkClient}: {@code new NetworkClient(config)} starts its
 *       I/O thread; {@code setNode(id, host, port)} and {@code removeNode(id)} keep the node table;
 *       {@code send(nodeId, request, handler)} at the negotiated version, {@code send(nodeId,
 *       request, version, handler)} at a given one, {@code send(nodeId, request, ResponseType.class)}
 *       for a future, {@code sendWithoutResponse} for acks=0 produce; {@code isReady},
 *       {@code pendingRequests} and {@code apiVersions} per node; {@code close(timeout)}.</li>
 *   <li>{@link io.fjord.client.network.NetworkClientConfig}: client id, in-flight limit per
 *       connection, request and connection set-up time-outs, reconnect backoff, idle close, socket
 *       buffers, largest response, whether to negotiate versions; Kafka's defaults.</li>
 *   <li>{@link io.fjord.client.network.ResponseHandler}: called exactly once per request, on the I/O
 *       thread, with the decoded response (the generated response class) or the failure.</li>
 *   <li>{@link io.fjord.client.network.NodeApiVersions}: what a node advertised, and the highest
 *       version both sides speak.</li>
 *   <li>Failures, each an {@link io.fjord.common.errors.ApiException} with Kafka's error code:
 *       {@link io.fjord.client.network.DisconnectException} (NETWORK_EXCEPTION), {@link
 *       io.fjord.client.network.RequestTimeoutException} (REQUEST_TIMED_OUT), {@link
 *       io.fjord.client.network.UnsupportedVersionException} (UNSUPPORTED_VERSION).</li>
 * </ul>
 *
 * <p>Why plain NIO rather than Netty (which the broker's network module uses): a client needs one
 * selector thread and gathering writes of the caller's buffers, which the JDK gives directly; it
 * keeps the client module free of Netty, so an application embedding the producer or admin client
 * carries no extra jars and no second buffer allocator, and the producer's pooled batch buffers go
 * to the socket uncopied.
 */
package io.fjord.client.network;
