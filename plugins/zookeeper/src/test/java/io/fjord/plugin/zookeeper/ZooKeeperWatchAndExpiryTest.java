package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationException.Reason;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.SessionListener;
import io.fjord.controller.coordination.WatchScope;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Watches, session expiry and renewal, and a server restart, against a real ZooKeeper server. */
class ZooKeeperWatchAndExpiryTest {

    private ZooKeeperFixture zk;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = ZooKeeperFixture.start();
    }

    @AfterEach
    void stopZooKeeper() {
        zk.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What a watch saw: on each call, what the watched entry held then, and the thread. */
    private static final class Seen {
        final List<String> values = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        synchronized void add(String value) {
            values.add(value);
            threads.add(Thread.currentThread().getName());
        }

        synchronized int size() {
            return values.size();
        }

        synchronized List<String> values() {
            return List.copyOf(values);
        }
    }

    @Test
    void dataAndChildWatchesFireInCommitOrderOnOneEventThreadUntilClosed() throws Exception {
        CoordinationSession watcher = zk.openSession(ZooKeeperFixture.ignoringListener());
        CoordinationSession writer = zk.openSession(ZooKeeperFixture.ignoringListener());
        Seen data = new Seen();
        Seen children = new Seen();
        List<String> order = new ArrayList<>();
        AutoCloseable onController = watcher.watch(ClusterPaths.CONTROLLER, WatchScope.DATA, () -> {
            data.add(watcher.read(ClusterPaths.CONTROLLER).map(v -> new String(v.data(), StandardCharsets.UTF_8)).orElse("none"));
            synchronized (order) {
                order.add("data");
            }
        });
        AutoCloseable onBrokers = watcher.watch(ClusterPaths.BROKER_IDS, WatchScope.CHILDREN, () -> {
            children.add(String.join(",", watcher.children(ClusterPaths.BROKER_IDS)));
            synchronized (order) {
                order.add("children");
            }
        });

        writer.write(List.of(new Op.Create(ClusterPaths.CONTROLLER, bytes("a"))));
        Sessions.await(() -> data.size() == 1, "the creation was seen");
        writer.registerBroker(1, bytes("{}"));
        Sessions.await(() -> children.size() == 1, "the child was seen");
        writer.write(List.of(new Op.SetData(ClusterPaths.CONTROLLER, bytes("b"), 0)));
        Sessions.await(() -> data.size() == 2, "the change was seen");
        writer.registerBroker(2, bytes("{}"));
        writer.unregisterBroker(1);
        writer.write(List.of(new Op.Delete(ClusterPaths.CONTROLLER, 1)));
        Sessions.await(() -> data.size() == 3 && children.size() == 3, "the deletions were seen");

        assertEquals(List.of("a", "b", "none"), data.values());
        assertEquals("2", children.values().get(2));
        synchronized (order) {
            assertEquals(List.of("data", "children", "data", "children", "children", "data"), order);
        }
        List<String> threads = new ArrayList<>(data.threads);
        threads.addAll(children.threads);
        assertEquals(1, threads.stream().distinct().count(), "callbacks ran on " + threads);
        assertTrue(threads.get(0).startsWith("fjord-zookeeper-events-"), threads.get(0));

        onController.close();
        writer.write(List.of(new Op.Create(ClusterPaths.CONTROLLER, bytes("c"))));
        writer.registerBroker(3, bytes("{}"));
        Sessions.await(() -> children.size() == 4, "the child watch still fires");
        assertEquals(3, data.size(), "a closed watch fires no more");
        onBrokers.close();
    }

    @Test
    void anExpiredSessionIsReportedThenRenewedItsEphemeralsAreGoneAndItsWatchesAreKept() throws Exception {
        Sessions.RecordingListener listener = new Sessions.RecordingListener();
        CoordinationSession broker = zk.openSession(listener);
        CoordinationSession other = zk.openSession(ZooKeeperFixture.ignoringListener());
        long firstEpoch = broker.registerBroker(1, bytes("{}"));
        ControllerLease lease = broker.tryElectController(1).orElseThrow();
        Seen topics = new Seen();
        broker.watch(ClusterPaths.TOPICS, WatchScope.CHILDREN, () -> topics.add("changed"));

        long expiredId = zk.expireSessionOwning(ClusterPaths.broker(1));
        Sessions.await(() -> listener.events().equals(List.of("expired", "renewed")), "expiry then renewal were reported");
        assertTrue(listener.threads.get(0).startsWith("fjord-zookeeper-events-"), listener.threads.toString());
        assertNotEquals(expiredId, ((ZooKeeperSession) broker).sessionId());
        assertEquals(Optional.empty(), other.read(ClusterPaths.broker(1)), "the registration went with the session");
        assertEquals(OptionalInt.empty(), other.activeController(), "and so did the controller");

        long renewedEpoch = broker.registerBroker(1, bytes("{}"));
        assertTrue(renewedEpoch > firstEpoch);
        ControllerLease next = broker.tryElectController(1).orElseThrow();
        assertEquals(lease.epoch() + 1, next.epoch());

        int before = topics.size();
        other.write(List.of(new Op.Create(ClusterPaths.topic("t"), bytes("{}"))));
        Sessions.await(() -> topics.size() > before, "the watch set before the expiry fires on the new session");
    }

    @Test
    void writesAreRefusedUnavailableUntilTheRenewalIsReported() throws Exception {
        CountDownLatch expiredHeard = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch renewed = new CountDownLatch(1);
        CoordinationSession broker = zk.openSession(new SessionListener() {
            @Override
            public void sessionExpired() {
                expiredHeard.countDown();
                try {
                    // Holds the event thread, so the renewal cannot be reported yet.
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void sessionRenewed() {
                renewed.countDown();
            }
        });
        broker.registerBroker(1, bytes("{}"));
        zk.expireSessionOwning(ClusterPaths.broker(1));
        assertTrue(expiredHeard.await(30, TimeUnit.SECONDS));
        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> broker.registerBroker(1, bytes("{}")));
        assertEquals(Reason.UNAVAILABLE, refused.reason());
        assertThrows(CoordinationException.class, () -> broker.write(List.of(new Op.Create("/x", new byte[0]))));
        assertEquals(Optional.empty(), broker.read("/x"), "reads still work");
        release.countDown();
        assertTrue(renewed.await(30, TimeUnit.SECONDS));
        broker.registerBroker(1, bytes("{}"));
    }

    @Test
    void aServerRestartOnTheSamePortKeepsTheSessionAndItsRegistration() throws Exception {
        Sessions.RecordingListener listener = new Sessions.RecordingListener();
        CoordinationSession broker = zk.openSession(listener);
        long epoch = broker.registerBroker(1, bytes("{}"));
        int port = zk.port();
        zk.stop();
        CoordinationException down = assertThrows(CoordinationException.class,
                () -> zk.engine(java.util.Map.of("connection.timeout.ms", "300")).open(ZooKeeperFixture.ignoringListener()));
        assertEquals(Reason.UNAVAILABLE, down.reason());
        zk.restart();
        assertEquals(port, zk.port());
        Sessions.await(() -> {
            try {
                return broker.read(ClusterPaths.broker(1)).map(v -> v.creationStamp() == epoch).orElse(false);
            } catch (CoordinationException e) {
                return false;
            }
        }, "the session reconnected and still holds its registration");
        assertEquals(List.of(), listener.events(), "the session never expired");
    }
}
