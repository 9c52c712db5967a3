package io.fjord.log;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetMapTest {

    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(OffsetMap map, String k, long offset) {
        ByteBuffer b = key(k);
        map.put(b, 0, b.remaining(), offset);
    }

    private static long get(OffsetMap map, String k) {
        ByteBuffer b = key(k);
        return map.get(b, 0, b.remaining());
    }

    @Test
    void keepsTheHighestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(1024 * 1024, 0.9);
        put(map, "a", 5);
        put(map, "b", 6);
        put(map, "a", 9);
        put(map, "a", 7);
        assertEquals(9, get(map, "a"));
        assertEquals(6, get(map, "b"));
        assertEquals(-1, get(map, "c"));
        assertEquals(2, map.size());
        assertEquals(9, map.latestOffset());
        map.updateLatestOffset(20);
        assertEquals(20, map.latestOffset());
        map.clear();
        assertEquals(-1, get(map, "a"));
        assertEquals(0, map.size());
        assertEquals(-1, map.latestOffset());
    }

    @Test
    void keysAtAnyPositionOfABufferAndOfEveryLengthHashApart() {
        OffsetMap map = new OffsetMap(4 * 1024 * 1024, 0.9);
        // Keys of 0 to 40 bytes exercise the hash's 16-byte blocks and every tail length.
        StringBuilder sb = new StringBuilder();
        for (int len = 0; len <= 40; len++) {
            ByteBuffer shifted = ByteBuffer.allocate(len + 3);
            shifted.position(3);
            shifted.put(sb.toString().getBytes(StandardCharsets.UTF_8));
            map.put(shifted, 3, len, 1000 + len);
            sb.append((char) ('a' + len % 26));
        }
        sb.setLength(0);
        for (int len = 0; len <= 40; len++) {
            assertEquals(1000 + len, get(map, sb.toString()), "key of length " + len);
            sb.append((char) ('a' + len % 26));
        }
    }

    @Test
    void holdsEveryKeyUpToItsLoadFactorWithoutConfusingAny() {
        OffsetMap map = new OffsetMap(2 * 1024 * 1024, 0.9);
        int n = map.maxEntries();
        assertEquals((int) (2 * 1024 * 1024 / 24 * 0.9), n);
        for (int i = 0; i < n; i++) {
            assertFalse(map.isFull());
            put(map, "key-" + i, i);
        }
        assertTrue(map.isFull());
        for (int i = 0; i < n; i++) {
            assertEquals(i, get(map, "key-" + i));
        }
        assertEquals(-1, get(map, "key-" + n));
        assertTrue(map.averageProbes() < 12, "probes " + map.averageProbes());
        assertThrows(IllegalStateException.class, () -> put(map, "one-too-many", 1));
        put(map, "key-0", n + 1L);
        assertEquals(n + 1L, get(map, "key-0"), "a known key is updated even when full");
    }
}
