package io.fjord.log;

import io.fjord.common.errors.Errors;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lock-free readers while the writer truncates and appends other batches at the same offsets:
 * a read may come back empty, out of range or cut short (a shortened segment file), but every
 * batch it returns is whole, CRC-valid and the batch that was at its offsets, never bytes of
 * other offsets.
 */
class ConcurrentTruncationTest {

    @TempDir
    Path dir;

    @Test
    void readersNeverSeeBytesOfOtherOffsets() throws Exception {
        MockTime time = new MockTime(Batches.BASE_TIME);
        ManualScheduler scheduler = new ManualScheduler(time);
        try (PartitionLog log = LogTestSupport.open(dir, LogTestSupport.smallSegments(4096, 200), time, scheduler)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<int[]>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    long seed = r;
                    readers.add(pool.submit(() -> read(log, new Random(seed), done)));
                }
                Random random = new Random(5);
                for (int round = 0; round < 150; round++) {
                    for (int b = 0; b < 8; b++) {
                        long base = log.logEndOffset();
                        log.append(Batches.plain(1 + random.nextInt(4), 30, "o" + base + "r" + round,
                                Batches.BASE_TIME + base), round);
                    }
                    log.truncateTo(Math.max(0, log.logEndOffset() - random.nextInt(30)));
                }
                done.set(true);
                int good = 0;
                for (Future<int[]> reader : readers) {
                    int[] counts = reader.get();
                    good += counts[0];
                }
                assertTrue(good >= 200, "whole reads: " + good);
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
        }
    }

    /** Reads until {@code done} and at least 100 whole reads; returns {whole reads, cut-short reads}. */
    private static int[] read(PartitionLog log, Random random, AtomicBoolean done) throws IOException {
        int whole = 0;
        int cut = 0;
        while (!done.get() || whole < 100) {
            long end = log.logEndOffset();
            if (end == 0) {
                Thread.onSpinWait();
                continue;
            }
            long offset = (long) (random.nextDouble() * end);
            ByteBuffer bytes;
            try {
                bytes = log.read(offset, 2048, Long.MAX_VALUE, true).readAll();
            } catch (LogException e) {
                assertEquals(Errors.OFFSET_OUT_OF_RANGE, e.error(), e.getMessage());
                continue;
            } catch (IOException e) {
                assertTrue(e.getMessage().contains("ended inside a slice"), e.getMessage());
                cut++;
                continue;
            }
            List<RecordBatch> batches = Batches.readWithKafka(bytes);
            for (RecordBatch batch : batches) {
                for (Record record : batch) {
                    ByteBuffer v = record.value();
                    String value = StandardCharsets.UTF_8.decode(v).toString();
                    assertTrue(value.startsWith("o" + batch.baseOffset() + "r"),
                            "batch at " + batch.baseOffset() + " holds " + value);
                }
            }
            if (!batches.isEmpty()) {
                whole++;
            }
        }
        return new int[] {whole, cut};
    }
}
