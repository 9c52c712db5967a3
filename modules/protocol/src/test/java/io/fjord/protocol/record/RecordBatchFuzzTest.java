package io.fjord.protocol.record;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutation fuzzing of whole buffers of batches, read the way a consumer reads them. Every
 * case must either read cleanly or end in a {@link ProtocolException}; anything else (another
 * exception, an {@link Error}, a large allocation) fails the test with the case number.
 */
class RecordBatchFuzzTest {

    private static final int CASES = 24_000;
    private static final int DECOMPRESSION_LIMIT = 64 * 1024;
    private static final int[] EXTREMES = {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7F, 0x80, 0xFFFF, -2};

    private record Seed(CompressionCodec codec, byte[] plainSection, ByteBuffer batch) {
    }

    @Test
    void mutatedBatchesOnlyEverFailWithTypedErrors() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        long seedNo = 100;
        for (CompressionCodec codec : Codecs.everyCodec()) {
            for (int count : new int[] {1, 6}) {
                ByteBuffer batch = KafkaBatches.build(codec, 1000L, count, seedNo++);
                ByteBuffer plain = KafkaBatches.build(null, 1000L, count, seedNo - 1);
                byte[] section = new byte[plain.remaining() - RecordBatchView.HEADER_SIZE];
                plain.duplicate().position(RecordBatchView.HEADER_SIZE).get(section);
                seeds.add(new Seed(codec, section, batch));
            }
        }

        Random random = new Random(20_260_422L);
        Map<Errors, Integer> outcomes = new EnumMap<>(Errors.class);
        int clean = 0;
        for (int i = 0; i < CASES; i++) {
            Seed seed = seeds.get(random.nextInt(seeds.size()));
            ByteBuffer input = mutate(seed, random);
            long before = Hostile.allocatedBytes();
            try {
                Hostile.readAll(input, Codecs.ALL, DECOMPRESSION_LIMIT);
                clean++;
            } catch (ProtocolException e) {
                outcomes.merge(e.error(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("Case " + i + " (" + (seed.codec == null ? "none" : seed.codec.name()) + ") ended in " + t, t);
            }
            long allocated = Hostile.allocatedBytes() - before;
            // Codec working buffers plus the bounded inflation; never what a forged length claims.
            assertTrue(allocated < 4L * (1 << 20), "case " + i + " allocated " + allocated);
        }
        // The fuzz reaches every layer: clean reads, CRC and framing failures, record-level failures.
        assertTrue(clean > CASES / 50, "clean reads: " + clean);
        assertTrue(outcomes.getOrDefault(Errors.CORRUPT_MESSAGE, 0) > CASES / 50, outcomes.toString());
        assertTrue(outcomes.getOrDefault(Errors.INVALID_RECORD, 0) > CASES / 50, outcomes.toString());
        assertTrue(outcomes.keySet().stream().allMatch(e -> e == Errors.CORRUPT_MESSAGE || e == Errors.INVALID_RECORD
                || e == Errors.UNSUPPORTED_COMPRESSION_TYPE || e == Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT), outcomes.toString());
    }

    private static ByteBuffer mutate(Seed seed, Random random) throws IOException {
        ByteBuffer batch;
        int mode = random.nextInt(10);
        if (mode < 3) {
            // Mutate the records before compression, so that the records parser sees the damage.
            byte[] section = seed.plainSection.clone();
            damage(section, random, 0);
            byte[] stored = section;
            if (seed.codec != null) {
                ByteBuffer compressed = seed.codec.compress(ByteBuffer.wrap(section));
                stored = new byte[compressed.remaining()];
                compressed.get(stored);
            }
            batch = ByteBuffer.allocate(RecordBatchView.HEADER_SIZE + stored.length);
            batch.put(seed.batch.duplicate().limit(RecordBatchView.HEADER_SIZE)).put(stored).flip();
        } else {
            byte[] bytes = new byte[seed.batch.remaining()];
            seed.batch.duplicate().get(bytes);
            if (mode < 9) {
                damage(bytes, random, mode == 8 ? RecordBatchView.HEADER_SIZE : 0);
            }
            if (random.nextInt(6) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            batch = ByteBuffer.wrap(bytes);
        }
        if (random.nextInt(4) != 0) {
            Hostile.reseal(batch);
        }
        if (random.nextInt(5) == 0) {
            // Two batches back to back, the second one intact.
            ByteBuffer two = ByteBuffer.allocate(batch.remaining() + seed.batch.remaining());
            two.put(batch).put(seed.batch.duplicate()).flip();
            return two;
        }
        return batch;
    }

    /** One to four mutations anywhere at or after {@code from}: bit flips, extreme ints, byte runs. */
    private static void damage(byte[] bytes, Random random, int from) {
        if (bytes.length <= from) {
            return;
        }
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = from + random.nextInt(bytes.length - from);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> {
                    int value = random.nextBoolean() ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextInt();
                    for (int k = 0; k < 4 && at + k < bytes.length; k++) {
                        bytes[at + k] = (byte) (value >>> (24 - 8 * k));
                    }
                }
                default -> {
                    byte fill = random.nextBoolean() ? (byte) 0xFF : (byte) 0x80;
                    for (int k = 0; k < 1 + random.nextInt(12) && at + k < bytes.length; k++) {
                        bytes[at + k] = fill;
                    }
                }
            }
        }
    }
}
