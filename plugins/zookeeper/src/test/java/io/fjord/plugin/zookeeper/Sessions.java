package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.SessionListener;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Helpers of this module's tests: sessions in a namespace of their own, and waiting on conditions. */
final class Sessions {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private Sessions() {
    }

    /** A fresh chroot on the fixture's server, so each test starts from an empty tree. */
    static String newNamespace(ZooKeeperFixture zk) {
        return zk.connectString() + "/test-" + NAMESPACES.incrementAndGet();
    }

    static CoordinationSession open(ZooKeeperFixture zk, String connect, SessionListener listener) {
        return zk.engine(Map.of("connect", connect)).open(listener);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting until " + what, e);
            }
        }
    }

    /** Records what a session listener heard, and on which thread. */
    static final class RecordingListener implements SessionListener {
        final List<String> events = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public synchronized void sessionExpired() {
            events.add("expired");
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public synchronized void sessionRenewed() {
            events.add("renewed");
            threads.add(Thread.currentThread().getName());
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }
    }
}
