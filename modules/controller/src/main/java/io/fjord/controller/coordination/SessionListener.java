package io.fjord.controller.coordination;

/**
 * Hears about the life of a {@link CoordinationSession}. Calls come one at a time on the engine's
 * event thread and must return quickly (hand work to your own thread).
 */
public interface SessionListener {

    /**
     * The session expired: the broker's registration and any controller election it held are
     * gone, as every other member sees. Writes fail until {@link #sessionRenewed()}.
     */
    void sessionExpired();

    /**
     * A new session replaces the expired one. The broker must register again (it gets a new broker
     * epoch) and a controller must run for election again; watches set before are kept.
     */
    void sessionRenewed();
}
