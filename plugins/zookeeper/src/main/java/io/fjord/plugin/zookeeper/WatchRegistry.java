package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.WatchScope;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The session's watches, as ZooKeeper persistent watches (3.6+): they stay after firing, so no
 * change between two events is missed, only coalesced.
 *
 * <p>ZooKeeper delivers a session's events in commit order on its event thread; each is handed to
 * the session's one event thread in that order, so callbacks run one at a time, in order, and
 * never on ZooKeeper's own thread. A new session has none of the old one's watches: they are added
 * again, and every watch fires once then, as after a reconnection, because changes may have been
 * missed meanwhile.
 */
final class WatchRegistry {

    private final CuratorFramework client;
    private final Executor events;
    private final Set<PersistentWatch> active = ConcurrentHashMap.newKeySet();

    WatchRegistry(CuratorFramework client, Executor events) {
        this.client = client;
        this.events = events;
    }

    AutoCloseable add(String path, WatchScope scope, Runnable onChange) {
        PersistentWatch watch = new PersistentWatch(path, scope, onChange);
        active.add(watch);
        try {
            register(watch);
        } catch (RuntimeException e) {
            active.remove(watch);
            throw e;
        }
        return watch;
    }

    /** Adds every watch again on the current session: a new session starts with none. */
    void registerAll() {
        for (PersistentWatch watch : List.copyOf(active)) {
            register(watch);
        }
    }

    /** Fires every watch once, on the event thread: changes may have been missed while disconnected. */
    void fireAll() {
        for (PersistentWatch watch : List.copyOf(active)) {
            events.execute(watch::fire);
        }
    }

    private void register(PersistentWatch watch) {
        KeeperErrors.run(watch.path, () -> client.watchers().add().withMode(AddWatchMode.PERSISTENT)
                .usingWatcher(watch).forPath(watch.path));
    }

    /** One caller's watch; closing it removes it from ZooKeeper and drops events still queued. */
    private final class PersistentWatch implements Watcher, AutoCloseable {
        private final String path;
        private final WatchScope scope;
        private final Runnable onChange;
        private volatile boolean closed;

        PersistentWatch(String path, WatchScope scope, Runnable onChange) {
            this.path = path;
            this.scope = scope;
            this.onChange = onChange;
        }

        @Override
        public void process(WatchedEvent event) {
            boolean relevant = switch (event.getType()) {
                case NodeCreated, NodeDeleted, NodeDataChanged -> scope == WatchScope.DATA;
                case NodeChildrenChanged -> scope == WatchScope.CHILDREN;
                default -> false;
            };
            if (relevant) {
                events.execute(this::fire);
            }
        }

        void fire() {
            if (!closed) {
                onChange.run();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            active.remove(this);
            try {
                client.watchers().remove(this).ofType(WatcherType.Any).forPath(path);
            } catch (Exception e) {
                // Not reachable now, or gone with its session: at least stop hearing it here.
                try {
                    client.watchers().remove(this).ofType(WatcherType.Any).locally().forPath(path);
                } catch (Exception gone) {
                    // Never registered on the current session: nothing to remove.
                }
            }
        }
    }
}
