package io.fjord.compression;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic inputs: record-like text that compresses well, and random bytes that do not. */
final class TestInputs {

    static final int[] SIZES = {0, 1, 16 * 1024, 64 * 1024, 64 * 1024 + 1, 1024 * 1024};

    private static final String[] WORDS = {
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    };

    private TestInputs() {
    }

    /** JSON-like records with repeated field names, ids, timestamps and a little random text. */
    static byte[] records(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 256);
        long timestamp = 1_700_000_000_000L;
        for (long id = 0; text.length() < size; id++) {
            timestamp += random.nextInt(1000);
            text.append("{\"id\":").append(id)
                    .append(",\"user\":\"user-").append(random.nextInt(5000))
                    .append("\",\"ts\":").append(timestamp)
                    .append(",\"event\":\"").append(WORDS[random.nextInt(WORDS.length)])
                    .append("\",\"note\":\"");
            for (int i = random.nextInt(4); i >= 0; i--) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            text.append((char) ('a' + random.nextInt(26))).append("\"}\n");
        }
        byte[] all = text.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] exact = new byte[size];
        System.arraycopy(all, 0, exact, 0, size);
        return exact;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
