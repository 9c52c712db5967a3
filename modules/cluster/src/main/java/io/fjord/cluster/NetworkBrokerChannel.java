package io.fjord.cluster;

import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The controller's requests to brokers over the network client, as Kafka's controller channel
 * manager sent them: one queue per broker, one request in flight at a time, so each broker sees
 * them in the order the controller made them; a request that fails to arrive is sent again after a
 * backoff until it is answered or has waited {@code giveUpMs} (its broker is gone, and gets the
 * whole state when it registers again). A broker that registers again (a new broker epoch, maybe a
 * new address) gets a fresh queue: what was owed to its previous incarnation is dropped, so it
 * never waits behind requests to an address that is gone.
 *
 * <p>Thread safety: the queues are guarded by this object; responses arrive on the network
 * client's thread and retries on a scheduler thread.
 */
public final class NetworkBrokerChannel implements BrokerChannel {

    private static final Logger LOG = Logger.getLogger(NetworkBrokerChannel.class.getName());
    private static final long RETRY_BACKOFF_MS = 200;

    /** One broker's queue; the head is the request in flight. */
    private static final class Queue {
        final Deque<ControllerRequest> requests = new ArrayDeque<>();
        boolean inFlight;
        long headSince;
        long brokerEpoch = -1;
        /** Bumped when the queue starts over for a new registration; answers of older ones are ignored. */
        int generation;
    }

    private final NetworkClient client;
    private final ScheduledExecutorService retries;
    private final Map<Integer, Queue> queues = new HashMap<>();
    private final long giveUpMs;
    private boolean closed;

    public NetworkBrokerChannel(String clientId, long requestTimeoutMs, long giveUpMs) {
        this.client = new NetworkClient(NetworkClientConfig.defaults(clientId).withRequestTimeoutMs(requestTimeoutMs)
                .withReconnectBackoffMs(50, 1000).withNegotiateApiVersions(false));
        this.giveUpMs = giveUpMs;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fjord-controller-channel-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void send(BrokerRegistration broker, ControllerRequest request) {
        if (closed) {
            return;
        }
        Queue q = queues.computeIfAbsent(broker.id(), id -> new Queue());
        if (q.brokerEpoch != broker.epoch()) {
            q.requests.clear();
            q.inFlight = false;
            q.headSince = 0;
            q.generation++;
            q.brokerEpoch = broker.epoch();
            client.setNode(broker.id(), broker.host(), broker.port());
        }
        q.requests.add(request);
        pump(broker.id(), q);
    }

    private void pump(int broker, Queue q) {
        if (closed || q.inFlight || q.requests.isEmpty()) {
            return;
        }
        q.inFlight = true;
        q.headSince = q.headSince == 0 ? System.currentTimeMillis() : q.headSince;
        ControllerRequest head = q.requests.peek();
        int generation = q.generation;
        client.send(broker, ControllerMessages.toWire(head), ControllerMessages.version(head),
                (response, error) -> done(broker, q, generation, error));
    }

    private synchronized void done(int broker, Queue q, int generation, RuntimeException error) {
        if (generation != q.generation) {
            return; // owed to an earlier registration of the broker; its queue started over
        }
        q.inFlight = false;
        if (error == null || System.currentTimeMillis() - q.headSince > giveUpMs) {
            if (error != null) {
                LOG.log(Level.INFO, "Giving up a controller request to broker " + broker + ": " + error.getMessage());
            }
            q.requests.poll();
            q.headSince = 0;
            pump(broker, q);
            return;
        }
        if (!closed) {
            retries.schedule(() -> {
                synchronized (this) {
                    if (generation == q.generation) {
                        pump(broker, q);
                    }
                }
            }, RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queues.clear();
        }
        retries.shutdownNow();
        client.close(Duration.ofSeconds(5));
    }
}
