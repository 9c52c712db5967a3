package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.controller.ClusterController;
import io.fjord.cluster.controller.ControllerSettings;
import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.cluster.state.ClusterIdentity;
import io.fjord.common.errors.Errors;
import io.fjord.controller.ClusterIds;
import io.fjord.controller.ControllerConfig;
import io.fjord.controller.LogDirs;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.SessionListener;
import io.fjord.controller.coordination.WatchScope;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A broker's membership of a cluster: its session with the coordination engine, its registration
 * (and broker epoch), its controller candidate, and the handling of what the controller tells it.
 *
 * <p>Controller requests are checked as Kafka's brokers check them: one of an older controller
 * epoch than the newest seen is refused with STALE_CONTROLLER_EPOCH, one meant for another
 * registration of this broker with STALE_BROKER_EPOCH, and a partition's leadership is applied only
 * when its leader epoch is newer than the one this broker holds.
 */
public final class ClusterMember implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterMember.class.getName());

    /** Who this broker is, as it registers. */
    public record Identity(int id, String host, int port, String rack) {
    }

    /** The answer to a LeaderAndIsr: a top-level error, and per partition an error when the top-level one is NONE. */
    public record LeaderAndIsrResult(Errors error, Map<TopicPartition, Errors> partitions) {
    }

    private final int nodeId;
    private volatile Identity identity;
    private final CoordinationSession session;
    private final ClusterMetadataCache cache;
    private final ClusterMetadataStore store;
    private final ClusterController controller;
    private final ReplicaHost host;
    private final ControllerClient controllerClient;
    private final Map<TopicPartition, Integer> leaderEpochs = new HashMap<>();
    private final ConfigChangeWatcher configWatcher;
    private volatile long brokerEpoch;
    private int latestControllerEpoch = -1;
    private AutoCloseable controllerWatch;

    private ClusterMember(int nodeId, CoordinationSession session, ClusterMetadataCache cache,
            ClusterMetadataStore store, ClusterController controller, ReplicaHost host,
            ControllerClient controllerClient) {
        this.nodeId = nodeId;
        this.session = session;
        this.cache = cache;
        this.store = store;
        this.controller = controller;
        this.host = host;
        this.controllerClient = controllerClient;
        this.configWatcher = new ConfigChangeWatcher(session, store);
    }

    /**
     * Joins the cluster: opens a session, agrees on the cluster id with the log dirs and loads the
     * topic configs. The broker registers (and runs for controller) with {@link #register} once it
     * serves requests.
     *
     * @param requestTimeoutMs the time-out of requests between brokers and the controller
     * @param adminWaitMs      how long an admin change waits to reach this broker's metadata
     */
    public static ClusterMember join(CoordinationEngine engine, ControllerConfig config, ReplicaHost host,
            long requestTimeoutMs, long adminWaitMs) throws IOException {
        SessionRelay relay = new SessionRelay();
        CoordinationSession session = engine.open(relay);
        int nodeId = config.nodeId();
        try {
            String clusterId = LogDirs.claim(config, clusterId(session, config));
            ClusterMetadataCache cache = new ClusterMetadataCache(clusterId, nodeId);
            ClusterMetadataStore store = new ClusterMetadataStore(session, cache, config, adminWaitMs);
            BrokerChannel channel = new NetworkBrokerChannel("fjord-controller-" + nodeId, requestTimeoutMs,
                    Math.max(30_000, 3 * requestTimeoutMs));
            ClusterController controller = new ClusterController(nodeId, session, channel,
                    ControllerSettings.from(config.properties()));
            ControllerClient controllerClient = new NetworkControllerClient("fjord-broker-" + nodeId, cache,
                    requestTimeoutMs);
            ClusterMember member = new ClusterMember(nodeId, session, cache, store, controller, host, controllerClient);
            relay.member = member;
            member.configWatcher.start();
            return member;
        } catch (RuntimeException | IOException e) {
            session.close();
            throw e;
        }
    }

    /** The cluster id in the store, created from the log dirs' (or a new one) by the first broker. */
    private static String clusterId(CoordinationSession session, ControllerConfig config) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            var stored = session.read(ClusterPaths.CLUSTER_ID);
            if (stored.isPresent()) {
                return ClusterIdentity.fromJson(stored.get().data(), ClusterPaths.CLUSTER_ID);
            }
            String proposed = config.clusterId() != null ? config.clusterId() : ClusterIds.toString(ClusterIds.randomId());
            try {
                session.write(List.of(new Op.Create(ClusterPaths.CLUSTER_ID, ClusterIdentity.toJson(proposed))));
                return proposed;
            } catch (CoordinationException e) {
                if (e.reason() != CoordinationException.Reason.CONDITION_FAILED) {
                    throw e;
                }
            }
        }
        throw new IOException("Could not agree on a cluster id in " + ClusterPaths.CLUSTER_ID);
    }

    /** Registers this broker as {@code identity} (it is live for the controller from now on) and runs for controller. */
    public void register(Identity identity) {
        this.identity = identity;
        brokerEpoch = session.registerBroker(nodeId, registration().toJson(System.currentTimeMillis()));
        LOG.info("Broker " + nodeId + " registered with broker epoch " + brokerEpoch);
        controllerWatch = session.watch(ClusterPaths.CONTROLLER, WatchScope.DATA,
                () -> cache.controllerChanged(session.activeController().orElse(-1)));
        cache.controllerChanged(session.activeController().orElse(-1));
        controller.startup();
    }

    private BrokerRegistration registration() {
        return new BrokerRegistration(nodeId, 0, identity.host(), identity.port(), identity.rack());
    }

    public ClusterMetadataStore store() {
        return store;
    }

    public ClusterMetadataCache cache() {
        return cache;
    }

    public ClusterController controller() {
        return controller;
    }

    public CoordinationSession session() {
        return session;
    }

    /** How this broker reaches the active controller. */
    public ControllerClient controllerClient() {
        return controllerClient;
    }

    public long brokerEpoch() {
        return brokerEpoch;
    }

    public int id() {
        return nodeId;
    }

    // ---- what the controller tells this broker

    public synchronized LeaderAndIsrResult leaderAndIsr(ControllerRequest.LeaderAndIsr request) {
        Errors stale = checkEpochs(request);
        if (stale != Errors.NONE) {
            return new LeaderAndIsrResult(stale, Map.of());
        }
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        List<PartitionLeadership> toApply = new java.util.ArrayList<>();
        for (PartitionLeadership p : request.partitions()) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            Integer current = leaderEpochs.get(tp);
            if (!p.replicas().contains(nodeId)) {
                results.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            } else if (current != null && p.state().leaderEpoch() <= current) {
                // Kafka's answer to a leadership this broker already has (or a stale one).
                results.put(tp, Errors.STALE_CONTROLLER_EPOCH);
            } else {
                toApply.add(p);
            }
        }
        Map<TopicPartition, Errors> applied = host.applyLeadership(toApply);
        applied.forEach((tp, e) -> {
            results.put(tp, e);
            if (e == Errors.NONE) {
                PartitionLeadership p = toApply.stream().filter(x -> x.topic().equals(tp.topic())
                        && x.partition() == tp.partition()).findFirst().orElseThrow();
                leaderEpochs.put(tp, p.state().leaderEpoch());
            }
        });
        return new LeaderAndIsrResult(Errors.NONE, results);
    }

    public synchronized Errors updateMetadata(ControllerRequest.UpdateMetadata request) {
        Errors stale = checkEpochs(request);
        if (stale != Errors.NONE) {
            return stale;
        }
        store.topicsDeleted(cache.apply(request));
        return Errors.NONE;
    }

    public synchronized Errors stopReplica(ControllerRequest.StopReplica request) {
        Errors stale = checkEpochs(request);
        if (stale != Errors.NONE) {
            return stale;
        }
        for (TopicPartition tp : request.partitions()) {
            leaderEpochs.remove(tp);
        }
        host.stopReplicas(request.partitions(), request.delete());
        return Errors.NONE;
    }

    private Errors checkEpochs(ControllerRequest request) {
        if (request.controllerEpoch() < latestControllerEpoch) {
            return Errors.STALE_CONTROLLER_EPOCH;
        }
        if (request.brokerEpoch() != -1 && request.brokerEpoch() != brokerEpoch) {
            return Errors.STALE_BROKER_EPOCH;
        }
        latestControllerEpoch = request.controllerEpoch();
        return Errors.NONE;
    }

    // ---- leaving

    /**
     * Kafka's controlled shutdown: asks the controller to move this broker's leaderships away,
     * retrying while some remain, then resigns the controller role if held. Returns when done or
     * after {@code maxAttempts}; the broker then stops.
     */
    public void controlledShutdown(int maxAttempts, Duration backoff, Duration timeout) throws InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            int controllerId = session.activeController().orElse(-1);
            try {
                Set<TopicPartition> remaining;
                if (controllerId == nodeId) {
                    remaining = controller.controlledShutdown(nodeId, brokerEpoch)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } else if (controllerId >= 0) {
                    remaining = controllerClient.controlledShutdown(controllerId, nodeId, brokerEpoch)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    remaining = null;
                }
                if (remaining != null && remaining.isEmpty()) {
                    LOG.info("Controlled shutdown of broker " + nodeId + " succeeded");
                    break;
                }
                LOG.info("Controlled shutdown of broker " + nodeId + ", attempt " + attempt + ": "
                        + (remaining == null ? "no controller" : remaining.size() + " partitions still led here"));
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.INFO, "Controlled shutdown of broker " + nodeId + ", attempt " + attempt
                        + " failed: " + e.getMessage());
            }
            if (attempt < maxAttempts) {
                Thread.sleep(backoff.toMillis());
            }
        }
        controller.resign();
    }

    @Override
    public void close() {
        configWatcher.close();
        if (controllerWatch != null) {
            try {
                controllerWatch.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing the controller watch failed", e);
            }
        }
        controller.close();
        controllerClient.close();
        store.close();
        session.close();
    }

    /** Relays session events to the member once it exists (the session opens first). */
    private static final class SessionRelay implements SessionListener {
        private volatile ClusterMember member;

        @Override
        public void sessionExpired() {
            ClusterMember m = member;
            if (m != null) {
                LOG.warning("The coordination session of broker " + m.nodeId + " expired");
                m.controller.sessionExpired();
            }
        }

        @Override
        public void sessionRenewed() {
            ClusterMember m = member;
            if (m != null) {
                try {
                    m.brokerEpoch = m.session.registerBroker(m.nodeId,
                            m.registration().toJson(System.currentTimeMillis()));
                    LOG.info("Broker " + m.nodeId + " registered again with broker epoch " + m.brokerEpoch);
                } catch (CoordinationException e) {
                    LOG.log(Level.SEVERE, "Broker " + m.nodeId + " could not register again", e);
                }
                m.controller.sessionRenewed();
            }
        }
    }
}
