package io.fjord.network;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Warnings about what a client sent that an operator should know of (an API Fjord does not serve,
 * bytes after a request body), logged once per client and kind, so a client repeating itself on
 * every connection fills no log. Memory is bounded: past {@link #MAX_REMEMBERED} distinct notices,
 * new ones are no longer logged.
 *
 * <p>Thread-safe: called from every processor and handler thread.
 */
final class ClientNotices {

    private static final Logger LOG = Logger.getLogger(ClientNotices.class.getName());
    static final int MAX_REMEMBERED = 10_000;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /**
     * Logs {@code message} unless a notice of this {@code kind} was logged for this client before.
     *
     * @return whether it was logged
     */
    boolean warnOnce(String clientId, String kind, String message) {
        String key = clientId + '\u0000' + kind;
        if (seen.contains(key) || seen.size() >= MAX_REMEMBERED || !seen.add(key)) {
            return false;
        }
        LOG.warning(message);
        return true;
    }
}
