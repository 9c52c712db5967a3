package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.replication.FetchPartitionRequest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Kafka's eviction rules of the fetch session cache, on a clock the test moves. */
class FetchSessionCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FetchSessionCache cache = new FetchSessionCache(2, 1_000, now::get);

    private int open(int partitions, boolean follower) {
        Map<FetchPartitionRequest, UUID> requested = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            requested.put(new FetchPartitionRequest(new TopicPartition("t", p), 0, 100), new UUID(0, 0));
        }
        return cache.newContext(0, 0, follower, false, requested, List.of()).sessionId();
    }

    @Test
    void aStaleSessionIsEvictedFirst() {
        int first = open(1, false);
        now.addAndGet(500);
        int second = open(5, false);
        assertEquals(0, open(9, false), "both sessions are young: no slot");
        now.addAndGet(700);
        int third = open(1, false);
        assertNotEquals(0, third, "the first session was unused for longer than the eviction time");
        assertEquals(1, cache.metrics().evictions());
        assertEquals(0, cache.newContext(first, 1, false, false, Map.of(), List.of()).sessionId(),
                "the evicted session is gone");
        assertEquals(second, cache.newContext(second, 1, false, false, Map.of(), List.of()).sessionId());
    }

    @Test
    void anOldSessionGivesWayOnlyToABiggerOne() {
        int first = open(3, false);
        int second = open(3, false);
        // Both were created longer than the eviction time ago, but are in use.
        now.addAndGet(1_500);
        cache.newContext(first, 1, false, false, Map.of(), List.of());
        cache.newContext(second, 1, false, false, Map.of(), List.of());
        assertEquals(0, open(2, false), "smaller than every old session");
        assertEquals(0, open(3, false), "equal is not bigger");
        assertNotEquals(0, open(4, false));
        assertEquals(1, cache.metrics().evictions());
    }
}
