package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Readers without a lock while one writer appends, rolls and trims indexes: every read below the
 * end offset the reader saw must return whole, CRC-valid batches holding the asked offset.
 */
class ConcurrentReadTest {

    @TempDir
    Path dir;

    @Test
    void lockFreeReadersAlwaysSeeWholeValidBatches() throws Exception {
        MockTime time = new MockTime(Batches.BASE_TIME);
        ManualScheduler scheduler = new ManualScheduler(time);
        assertTrue(PartitionLog.class.getModule().isNamed(), "tests run on the module path");
        try (PartitionLog log = LogTestSupport.open(dir, LogTestSupport.smallSegments(8192, 200), time, scheduler)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    long seed = r;
                    readers.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        int reads = 0;
                        while (!done.get() || reads < 100) {
                            long end = log.logEndOffset();
                            if (end == 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            long offset = (long) (random.nextDouble() * end);
                            FileSlice slice = log.read(offset, 4096, Long.MAX_VALUE, true);
                            List<RecordBatch> batches = Batches.readWithKafka(slice.readAll());
                            assertTrue(!batches.isEmpty(), "offset " + offset + " below end " + end);
                            RecordBatch first = batches.get(0);
                            assertTrue(first.baseOffset() <= offset && offset <= first.lastOffset());
                            for (int i = 1; i < batches.size(); i++) {
                                assertEquals(batches.get(i - 1).lastOffset() + 1, batches.get(i).baseOffset());
                            }
                            reads++;
                        }
                        return reads;
                    }));
                }
                for (int b = 0; b < 1500; b++) {
                    log.append(Batches.plain(1 + b % 4, 30, "c" + b, Batches.BASE_TIME + b), 0);
                }
                done.set(true);
                for (Future<Integer> reader : readers) {
                    assertTrue(reader.get() >= 100);
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
            assertTrue(log.numberOfSegments() > 10);
        }
    }
}
