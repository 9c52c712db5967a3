package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.replication.FetchPartitionRequest;
import io.fjord.replication.FetchPartitionResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The broker's incremental fetch sessions (KIP-227), at most {@code
 * max.incremental.fetch.session.cache.slots} of them. When it is full a new session takes the slot
 * of one unused for the eviction time, else (Kafka's rule) of the least valuable session it is
 * allowed to evict: a follower's session may evict a consumer's or an old one, a consumer's only an
 * old one, and only one with no more partitions than itself; otherwise the fetcher goes sessionless.
 *
 * <p>Invariants: every session is in {@link #sessions} under its id, which is positive and unique;
 * {@link #evictions} only grows. Thread-safe: handler threads share it under its monitor.
 */
final class FetchSessionCache {

    /** Kafka's minimum time a session is kept before any newcomer may evict it. */
    static final long EVICTION_MS = 120_000;

    private final int maxSlots;
    private final long evictionMs;
    private final LongSupplier clock;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private long evictions;
    private long fullRequests;
    private long incrementalRequests;

    FetchSessionCache(int maxSlots, long evictionMs, LongSupplier clock) {
        this.maxSlots = maxSlots;
        this.evictionMs = evictionMs;
        this.clock = clock;
    }

    /** What a request needs fetched, and how to turn the results into its answer. */
    record Context(Errors error, List<FetchPartitionRequest> toFetch, Map<String, UUID> topicIds, FetchSession session,
                   boolean full) {

        /** The results to answer with: all for a full fetch, only changed partitions for an incremental one. */
        List<FetchPartitionResult> select(List<FetchPartitionResult> results) {
            if (session == null) {
                return results;
            }
            List<FetchPartitionResult> out = new ArrayList<>();
            synchronized (session) {
                for (FetchPartitionResult r : results) {
                    FetchSession.CachedPartition cached = session.partitions.get(r.topicPartition());
                    boolean changed = cached == null || cached.mustRespond(r);
                    if (full || changed) {
                        out.add(r);
                    }
                }
            }
            return out;
        }

        int sessionId() {
            return session == null ? 0 : session.id;
        }
    }

    /**
     * Starts a request: sessionless, a new full session, or the next step of an existing one.
     *
     * @param requested the request's partitions with their topic ids (zero when named)
     * @param forgotten the partitions the request drops from its session
     */
    synchronized Context newContext(int sessionId, int epoch, boolean privileged, boolean usesTopicIds,
                                    Map<FetchPartitionRequest, UUID> requested, List<TopicPartition> forgotten) {
        long now = clock.getAsLong();
        Map<String, UUID> ids = new HashMap<>();
        requested.forEach((p, id) -> ids.put(p.topicPartition().topic(), id));
        if (epoch == 0 || epoch == -1) {
            fullRequests++;
            if (sessionId != 0) {
                sessions.remove(sessionId);
            }
            List<FetchPartitionRequest> all = new ArrayList<>(requested.keySet());
            FetchSession created = epoch == 0 ? maybeCreate(privileged, usesTopicIds, requested, now) : null;
            return new Context(Errors.NONE, all, ids, created, true);
        }
        FetchSession session = sessions.get(sessionId);
        if (session == null) {
            return new Context(Errors.FETCH_SESSION_ID_NOT_FOUND, List.of(), ids, null, false);
        }
        synchronized (session) {
            if (session.epoch != epoch) {
                return new Context(Errors.INVALID_FETCH_SESSION_EPOCH, List.of(), ids, null, false);
            }
            if (session.usesTopicIds != usesTopicIds) {
                return new Context(Errors.FETCH_SESSION_TOPIC_ID_ERROR, List.of(), ids, null, false);
            }
            incrementalRequests++;
            forgotten.forEach(session.partitions::remove);
            requested.forEach((p, id) -> {
                FetchSession.CachedPartition cached = session.partitions.get(p.topicPartition());
                if (cached == null) {
                    session.partitions.put(p.topicPartition(), new FetchSession.CachedPartition(id, p));
                } else {
                    cached.update(p);
                }
            });
            session.epoch = FetchSession.nextEpoch(session.epoch);
            session.lastUsedMs = now;
            List<FetchPartitionRequest> toFetch = new ArrayList<>();
            session.partitions.forEach((tp, c) -> {
                toFetch.add(new FetchPartitionRequest(tp, c.fetchOffset, c.maxBytes, c.currentLeaderEpoch,
                        c.lastFetchedEpoch));
                ids.put(tp.topic(), c.topicId);
            });
            return new Context(Errors.NONE, toFetch, ids, session, false);
        }
    }

    private FetchSession maybeCreate(boolean privileged, boolean usesTopicIds,
                                     Map<FetchPartitionRequest, UUID> requested, long now) {
        if (maxSlots <= 0 || (sessions.size() >= maxSlots && !tryEvict(privileged, requested.size(), now))) {
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, privileged, usesTopicIds, now);
        requested.forEach((p, topicId) -> session.partitions.put(p.topicPartition(),
                new FetchSession.CachedPartition(topicId, p)));
        sessions.put(id, session);
        return session;
    }

    /** Kafka's eviction: a stale session first, else the least valuable one the newcomer outranks. */
    private boolean tryEvict(boolean privileged, int size, long now) {
        FetchSession leastRecent = null;
        for (FetchSession s : sessions.values()) {
            if (leastRecent == null || s.lastUsedMs < leastRecent.lastUsedMs) {
                leastRecent = s;
            }
        }
        if (leastRecent != null && now - leastRecent.lastUsedMs > evictionMs) {
            evict(leastRecent);
            return true;
        }
        // Evictable by anyone: sessions older than the eviction time; by a follower also consumers'.
        Comparator<FetchSession> byValue = Comparator.<FetchSession, Boolean>comparing(s -> s.privileged)
                .thenComparingInt(FetchSession::size).thenComparingInt(s -> s.id);
        TreeSet<FetchSession> evictable = new TreeSet<>(byValue);
        for (FetchSession s : sessions.values()) {
            boolean old = now - s.creationMs > evictionMs;
            if (old || (privileged && !s.privileged)) {
                evictable.add(s);
            }
        }
        if (evictable.isEmpty()) {
            return false;
        }
        FetchSession weakest = evictable.first();
        boolean outranks = privileged != weakest.privileged ? privileged : size > weakest.size();
        if (!outranks) {
            return false;
        }
        evict(weakest);
        return true;
    }

    private void evict(FetchSession session) {
        sessions.remove(session.id);
        evictions++;
    }

    /** Kafka's session metrics, read by tests and operators. */
    synchronized FetchSessionMetrics metrics() {
        int partitions = 0;
        for (FetchSession s : sessions.values()) {
            partitions += s.size();
        }
        return new FetchSessionMetrics(sessions.size(), partitions, evictions, fullRequests, incrementalRequests);
    }
}
