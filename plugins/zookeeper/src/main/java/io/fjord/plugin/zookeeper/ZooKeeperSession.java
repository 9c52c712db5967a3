package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationException.Reason;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.ProducerIdBlock;
import io.fjord.controller.coordination.SessionListener;
import io.fjord.controller.coordination.Versioned;
import io.fjord.controller.coordination.WatchScope;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CoordinationSession} on one Curator client, hence one ZooKeeper session at a time.
 *
 * <p>Nothing is retried behind the caller's back: a write whose connection dropped may have been
 * applied, and a blind retry could then report a condition failure for the caller's own write.
 * Such a write fails {@link Reason#UNAVAILABLE} and the caller reads to learn the outcome. Calls
 * wait up to the connection time-out for a connection before they are sent, and at most
 * {@code max.in.flight.requests} of them are outstanding at once.
 */
final class ZooKeeperSession implements CoordinationSession {

    /** Curator's retry policy for every call: never. */
    private static final RetryPolicy NEVER_RETRY = (retryCount, elapsedTimeMs, sleeper) -> false;
    /** A concurrent election between our read of the epoch and our multi makes us try again, this often. */
    private static final int ELECTION_ATTEMPTS = 5;

    private final CuratorFramework client;
    private final Semaphore inFlight;
    private final EventThread events;
    private final WatchRegistry watches;
    private final SessionLifecycle lifecycle;
    private final MultiWrite multiWrite;
    private volatile boolean closed;

    private ZooKeeperSession(CuratorFramework client, ZooKeeperSettings settings, SessionListener listener) {
        this.client = client;
        this.inFlight = new Semaphore(settings.maxInFlightRequests());
        this.events = new EventThread();
        this.watches = new WatchRegistry(client, events);
        this.multiWrite = new MultiWrite(client);
        long sessionId;
        try {
            sessionId = client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            throw new CoordinationException(Reason.UNAVAILABLE, null, "ZooKeeper session lost at once", e);
        }
        this.lifecycle = new SessionLifecycle(client, sessionId, listener, watches, events);
        client.getConnectionStateListenable().addListener(lifecycle);
    }

    /** Connects, waiting up to the connection time-out; creates the connect string's chroot if missing, as Kafka did. */
    static ZooKeeperSession open(ZooKeeperSettings settings, SessionListener listener) {
        if (settings.chroot() != null) {
            try (CuratorFramework root = connect(settings, settings.hosts())) {
                KeeperErrors.run(settings.chroot(), () -> {
                    try {
                        return root.create().creatingParentsIfNeeded().forPath(settings.chroot(), new byte[0]);
                    } catch (KeeperException.NodeExistsException e) {
                        return settings.chroot();
                    }
                });
            }
        }
        CuratorFramework client = connect(settings, settings.connect());
        try {
            return new ZooKeeperSession(client, settings, listener);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static CuratorFramework connect(ZooKeeperSettings settings, String connectString) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(settings.sessionTimeoutMs())
                .connectionTimeoutMs(settings.connectionTimeoutMs())
                .retryPolicy(NEVER_RETRY)
                .build();
        client.start();
        boolean connected;
        try {
            connected = client.blockUntilConnected(settings.connectionTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected = false;
        }
        if (!connected) {
            client.close();
            throw new CoordinationException(Reason.UNAVAILABLE, null, "No connection to ZooKeeper at "
                    + connectString + " within " + settings.connectionTimeoutMs() + " ms");
        }
        return client;
    }

    /** The ZooKeeper session id the listener was last told about (tests expire it by this id). */
    long sessionId() {
        return lifecycle.sessionId();
    }

    @Override
    public long registerBroker(int brokerId, byte[] registration) {
        String path = ClusterPaths.broker(brokerId);
        return call(path, true, () -> {
            for (int attempt = 0; attempt < ELECTION_ATTEMPTS; attempt++) {
                try {
                    Stat stat = new Stat();
                    client.create().storingStatIn(stat).creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                            .forPath(path, registration);
                    return stat.getCzxid();
                } catch (KeeperException.NodeExistsException e) {
                    Stat existing = client.checkExists().forPath(path);
                    if (existing != null && existing.getEphemeralOwner() != lifecycle.currentSessionId()) {
                        throw new CoordinationException(Reason.ID_IN_USE, path,
                                "Broker id " + brokerId + " is registered by another live session");
                    }
                    if (existing != null) {
                        deleteQuietly(path, existing.getVersion());
                    }
                }
            }
            throw new CoordinationException(Reason.CONDITION_FAILED, path, path + " keeps changing under registration");
        });
    }

    @Override
    public void unregisterBroker(int brokerId) {
        String path = ClusterPaths.broker(brokerId);
        call(path, false, () -> {
            Stat existing = client.checkExists().forPath(path);
            if (existing != null && existing.getEphemeralOwner() == lifecycle.currentSessionId()) {
                deleteQuietly(path, existing.getVersion());
            }
            return null;
        });
    }

    @Override
    public Optional<ControllerLease> tryElectController(int brokerId) {
        return call(ClusterPaths.CONTROLLER, true, () -> {
            for (int attempt = 0; attempt < ELECTION_ATTEMPTS; attempt++) {
                Stat epochStat = new Stat();
                int epoch = KafkaZNodes.controllerEpoch(readOrCreateControllerEpoch(epochStat));
                int newEpoch = epoch + 1;
                try {
                    List<CuratorTransactionResult> results = client.transaction().forOperations(
                            client.transactionOp().create().withMode(CreateMode.EPHEMERAL)
                                    .forPath(ClusterPaths.CONTROLLER, KafkaZNodes.controller(brokerId, System.currentTimeMillis())),
                            client.transactionOp().setData().withVersion(epochStat.getVersion())
                                    .forPath(ClusterPaths.CONTROLLER_EPOCH, KafkaZNodes.controllerEpoch(newEpoch)));
                    return Optional.of(new ControllerLease(brokerId, newEpoch, results.get(1).getResultStat().getVersion()));
                } catch (KeeperException.NodeExistsException e) {
                    return leaseHeldBySelf(brokerId);
                } catch (KeeperException.BadVersionException e) {
                    // Another broker was elected since we read the epoch, and may have resigned already.
                }
            }
            return Optional.<ControllerLease>empty();
        });
    }

    /** Our lease when {@code /controller} is already this session's (an election whose answer was lost). */
    private Optional<ControllerLease> leaseHeldBySelf(int brokerId) throws Exception {
        Stat controllerStat = new Stat();
        byte[] controller;
        try {
            controller = client.getData().storingStatIn(controllerStat).forPath(ClusterPaths.CONTROLLER);
        } catch (KeeperException.NoNodeException gone) {
            return Optional.empty();
        }
        if (controllerStat.getEphemeralOwner() != lifecycle.currentSessionId()
                || KafkaZNodes.controllerId(controller).orElse(-1) != brokerId) {
            return Optional.empty();
        }
        Stat epochStat = new Stat();
        byte[] epoch = client.getData().storingStatIn(epochStat).forPath(ClusterPaths.CONTROLLER_EPOCH);
        return Optional.of(new ControllerLease(brokerId, KafkaZNodes.controllerEpoch(epoch), epochStat.getVersion()));
    }

    /** {@code /controller_epoch}, created at epoch 0 if missing (as Kafka's first controller did). */
    private byte[] readOrCreateControllerEpoch(Stat stat) throws Exception {
        while (true) {
            try {
                return client.getData().storingStatIn(stat).forPath(ClusterPaths.CONTROLLER_EPOCH);
            } catch (KeeperException.NoNodeException e) {
                try {
                    byte[] initial = KafkaZNodes.controllerEpoch(0);
                    client.create().storingStatIn(stat).forPath(ClusterPaths.CONTROLLER_EPOCH, initial);
                    return initial;
                } catch (KeeperException.NodeExistsException raced) {
                    // Created by another broker meanwhile: read it.
                }
            }
        }
    }

    @Override
    public OptionalInt activeController() {
        return read(ClusterPaths.CONTROLLER).map(v -> KafkaZNodes.controllerId(v.data())).orElse(OptionalInt.empty());
    }

    @Override
    public void resignController(ControllerLease lease) {
        try {
            write(lease, List.of(new Op.Delete(ClusterPaths.CONTROLLER, Op.ANY_VERSION)));
        } catch (CoordinationException e) {
            if (e.reason() == Reason.UNAVAILABLE) {
                throw e;
            }
            // FENCED: someone else is the controller; CONDITION_FAILED: none is. Either way, not us.
        }
    }

    @Override
    public Optional<Versioned> read(String path) {
        return call(path, false, () -> {
            Stat stat = new Stat();
            try {
                byte[] data = client.getData().storingStatIn(stat).forPath(path);
                return Optional.of(new Versioned(data == null ? new byte[0] : data, stat.getVersion(), stat.getCzxid()));
            } catch (KeeperException.NoNodeException e) {
                return Optional.<Versioned>empty();
            }
        });
    }

    @Override
    public List<String> children(String path) {
        return call(path, false, () -> {
            try {
                List<String> names = new ArrayList<>(client.getChildren().forPath(path));
                Collections.sort(names);
                return List.copyOf(names);
            } catch (KeeperException.NoNodeException e) {
                return List.<String>of();
            }
        });
    }

    @Override
    public AutoCloseable watch(String path, WatchScope scope, Runnable onChange) {
        return call(path, false, () -> watches.add(path, scope, onChange));
    }

    @Override
    public void write(List<Op> ops) {
        call(null, true, () -> multiWrite.apply(null, ops));
    }

    @Override
    public void write(ControllerLease lease, List<Op> ops) {
        call(ClusterPaths.CONTROLLER_EPOCH, true, () -> multiWrite.apply(lease, ops));
    }

    @Override
    public String createSequential(String prefix, byte[] data) {
        return call(prefix, true, () -> client.create().creatingParentsIfNeeded()
                .withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(prefix, data));
    }

    @Override
    public ProducerIdBlock allocateProducerIds(int brokerId, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("A producer-id block holds at least one id, not " + size);
        }
        String path = ClusterPaths.PRODUCER_ID_BLOCK;
        return call(path, true, () -> {
            // Each failed attempt means another broker took a block: we retry on its newer state.
            while (true) {
                Stat stat = new Stat();
                byte[] latest;
                try {
                    latest = client.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    latest = null;
                }
                long first = latest == null || latest.length == 0 ? 0 : KafkaZNodes.lastProducerId(latest) + 1;
                if (first > Long.MAX_VALUE - size) {
                    throw new CoordinationException(Reason.CONDITION_FAILED, path, "Producer ids are exhausted");
                }
                ProducerIdBlock block = new ProducerIdBlock(brokerId, first, size);
                try {
                    if (latest == null) {
                        client.create().forPath(path, KafkaZNodes.producerIdBlock(block));
                    } else {
                        client.setData().withVersion(stat.getVersion()).forPath(path, KafkaZNodes.producerIdBlock(block));
                    }
                    return block;
                } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
                    // Taken by another broker first.
                }
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.getConnectionStateListenable().removeListener(lifecycle);
        client.close();
        events.close();
    }

    private void deleteQuietly(String path, int version) throws Exception {
        try {
            client.delete().withVersion(version).forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone or replaced meanwhile: not ours to delete any more.
        }
    }

    /** Runs one call under the in-flight limit; a write is refused while the session is lost. */
    private <T> T call(String path, boolean write, KeeperErrors.Call<T> call) {
        if (closed) {
            throw new CoordinationException(Reason.UNAVAILABLE, path, "The ZooKeeper session is closed");
        }
        if (write && lifecycle.expired()) {
            throw new CoordinationException(Reason.UNAVAILABLE, path,
                    "The ZooKeeper session expired; writes wait for the new session");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException(Reason.UNAVAILABLE, path, "Interrupted while waiting to send to ZooKeeper", e);
        }
        try {
            return KeeperErrors.run(path, call);
        } finally {
            inFlight.release();
        }
    }
}
