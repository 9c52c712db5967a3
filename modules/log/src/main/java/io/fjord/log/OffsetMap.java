package io.fjord.log;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The cleaner's map from key to the highest offset that key has in the dirty section of a log,
 * in a fixed amount of memory: an open-addressing table of 128-bit key hashes and offsets, 24
 * bytes a slot, sized once from {@code log.cleaner.dedupe.buffer.size}. Keys are never stored;
 * two keys with one 128-bit hash (about 2^-64 likely for a billion keys) would share an entry,
 * the same bet Kafka's cleaner makes with MD5.
 *
 * <p>Invariants: at most {@link #maxEntries()} keys (the load factor of the slots), so a probe
 * always finds a free slot; an entry's offset only grows; {@link #latestOffset()} is the last
 * offset the map has seen, keyed or not. Not thread-safe: each cleaner thread owns one map.
 */
final class OffsetMap {

    private static final int SLOT_BYTES = 24;
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private final long[] hashHigh;
    private final long[] hashLow;
    private final long[] offsets;
    private final int maxEntries;
    private int entries;
    private long latestOffset = -1L;
    private long lookups;
    private long probes;

    // The hash of the last key hashed, so put and get do not allocate.
    private long h1;
    private long h2;

    /**
     * @param memoryBytes the memory the table may take
     * @param loadFactor the share of slots that may be used ({@code log.cleaner.io.buffer.load.factor})
     */
    OffsetMap(long memoryBytes, double loadFactor) {
        long slots = memoryBytes / SLOT_BYTES;
        if (slots < 2 || slots > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an offset map needs between 48 bytes and 48 GiB, not " + memoryBytes);
        }
        hashHigh = new long[(int) slots];
        hashLow = new long[(int) slots];
        offsets = new long[(int) slots];
        maxEntries = (int) Math.max(1, Math.min(slots - 1, (long) (slots * loadFactor)));
        clear();
    }

    /** Empties the map for the next cleaning. */
    void clear() {
        Arrays.fill(offsets, -1L);
        entries = 0;
        latestOffset = -1L;
        lookups = 0;
        probes = 0;
    }

    /** Whether another key may be added. */
    boolean isFull() {
        return entries >= maxEntries;
    }

    /**
     * Records {@code offset} for the key in {@code bytes[position, position + length)}; the caller
     * checks {@link #isFull()} first when the key may be new.
     */
    void put(ByteBuffer bytes, int position, int length, long offset) {
        int slot = find(bytes, position, length);
        if (offsets[slot] < 0) {
            if (isFull()) {
                throw new IllegalStateException("the offset map is full");
            }
            hashHigh[slot] = h1;
            hashLow[slot] = h2;
            entries++;
        }
        offsets[slot] = Math.max(offsets[slot], offset);
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The offset recorded for the key, or -1. */
    long get(ByteBuffer bytes, int position, int length) {
        return offsets[find(bytes, position, length)];
    }

    /** Notes that the map has seen the log up to {@code offset}, keyed records or not. */
    void updateLatestOffset(long offset) {
        latestOffset = Math.max(latestOffset, offset);
    }

    long latestOffset() {
        return latestOffset;
    }

    int size() {
        return entries;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** The share of the usable slots taken, for the cleaner's stats. */
    double utilization() {
        return (double) entries / maxEntries;
    }

    /** Average slots looked at per lookup; near 1 unless the table is crowded. */
    double averageProbes() {
        return lookups == 0 ? 0 : (double) probes / lookups;
    }

    /** The slot holding the key's hash, or the free slot where it would go (linear probing). */
    private int find(ByteBuffer bytes, int position, int length) {
        hash(bytes, position, length);
        int slots = offsets.length;
        int slot = (int) Long.remainderUnsigned(h1 ^ (h2 >>> 1), slots);
        lookups++;
        while (true) {
            probes++;
            if (offsets[slot] < 0 || (hashHigh[slot] == h1 && hashLow[slot] == h2)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    /** MurmurHash3's 128-bit x64 variant over the bytes, into {@link #h1} and {@link #h2}. */
    private void hash(ByteBuffer bytes, int position, int length) {
        long a = 0x9368e53c2f6af274L;
        long b = 0x586dcd208f7cd3fdL;
        int end = position + length;
        int p = position;
        for (; p + 16 <= end; p += 16) {
            long k1 = bytes.getLong(p);
            long k2 = bytes.getLong(p + 8);
            a ^= Long.rotateLeft(k1 * C1, 31) * C2;
            a = (Long.rotateLeft(a, 27) + b) * 5 + 0x52dce729;
            b ^= Long.rotateLeft(k2 * C2, 33) * C1;
            b = (Long.rotateLeft(b, 31) + a) * 5 + 0x38495ab5;
        }
        long k1 = 0;
        long k2 = 0;
        for (int i = 0; p + i < end; i++) {
            long v = bytes.get(p + i) & 0xffL;
            if (i < 8) {
                k1 |= v << (8 * i);
            } else {
                k2 |= v << (8 * (i - 8));
            }
        }
        if (k2 != 0) {
            b ^= Long.rotateLeft(k2 * C2, 33) * C1;
        }
        if (k1 != 0 || p < end) {
            a ^= Long.rotateLeft(k1 * C1, 31) * C2;
        }
        a ^= length;
        b ^= length;
        a += b;
        b += a;
        a = mix(a);
        b = mix(b);
        a += b;
        b += a;
        h1 = a;
        h2 = b;
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
