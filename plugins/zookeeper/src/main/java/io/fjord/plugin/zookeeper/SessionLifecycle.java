package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.SessionListener;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * Follows the ZooKeeper session under a {@link ZooKeeperSession} and tells its
 * {@link SessionListener}: Curator reports {@code LOST} when the session expired (seen by the
 * ensemble, or presumed after a whole session time-out without a connection) and then builds a
 * new one, reported as {@code RECONNECTED} with a new session id.
 *
 * <p>Invariants: {@code sessionExpired} and {@code sessionRenewed} alternate, starting with
 * {@code sessionExpired}; both run on the session's event thread. {@link #expired()} is true from
 * the moment the loss is known until just before {@code sessionRenewed} runs, and writes are
 * refused meanwhile.
 */
final class SessionLifecycle implements ConnectionStateListener {

    private static final System.Logger LOG = System.getLogger(SessionLifecycle.class.getName());

    private final CuratorFramework client;
    private final SessionListener listener;
    private final WatchRegistry watches;
    private final EventThread events;
    /** The session the listener was last told about; only the event thread changes it. */
    private volatile long sessionId;
    private volatile boolean expired;
    /** Whether the listener has been told of the current loss (the event thread's own state). */
    private boolean expiryReported;

    SessionLifecycle(CuratorFramework client, long sessionId, SessionListener listener, WatchRegistry watches,
                     EventThread events) {
        this.client = client;
        this.sessionId = sessionId;
        this.listener = listener;
        this.watches = watches;
        this.events = events;
    }

    /** Runs on Curator's state thread: marks the loss at once, tells the listener on the event thread. */
    @Override
    public void stateChanged(CuratorFramework curator, ConnectionState state) {
        switch (state) {
            case LOST -> {
                expired = true;
                events.execute(this::reportExpiry);
            }
            case CONNECTED, RECONNECTED -> events.execute(this::connected);
            default -> {
            }
        }
    }

    boolean expired() {
        return expired;
    }

    long sessionId() {
        return sessionId;
    }

    /** The id of the session the client holds now, or 0 while it has none. */
    long currentSessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    private void reportExpiry() {
        expired = true;
        if (!expiryReported) {
            expiryReported = true;
            listener.sessionExpired();
        }
    }

    private void connected() {
        long current = currentSessionId();
        if (current == 0) {
            return;
        }
        if (current == sessionId && !expired) {
            // The same session over a new connection: watched changes may have been missed.
            watches.fireAll();
            return;
        }
        reportExpiry();
        try {
            watches.registerAll();
        } catch (CoordinationException e) {
            // Lost again at once: the next connection repeats all this.
            LOG.log(System.Logger.Level.WARNING, "Could not restore watches on the new ZooKeeper session", e);
            return;
        }
        sessionId = current;
        expired = false;
        expiryReported = false;
        listener.sessionRenewed();
        watches.fireAll();
    }
}
