package io.fjord.controller.coordination;

import io.fjord.api.Plugin;

/**
 * A coordination engine, found by the kernel like any plugin and selected by its {@link #name()}
 * ({@code zookeeper}). {@link #configure} receives the engine's own settings with their prefix
 * removed: for ZooKeeper, Kafka's {@code zookeeper.connect}, {@code zookeeper.session.timeout.ms},
 * {@code zookeeper.connection.timeout.ms} and friends arrive as {@code connect},
 * {@code session.timeout.ms}, ...
 */
public interface CoordinationEngine extends Plugin {

    /**
     * Opens a session, waiting up to the engine's connection time-out for it to be established.
     *
     * @param listener told when the session is lost and when a new one replaces it
     * @throws CoordinationException with {@link CoordinationException.Reason#UNAVAILABLE} when no
     *                               session could be established in time
     */
    CoordinationSession open(SessionListener listener);
}
