package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static io.fjord.log.LogTestSupport.TP;
import static io.fjord.log.LogTestSupport.allBatches;
import static io.fjord.log.LogTestSupport.appendBatches;
import static io.fjord.log.LogTestSupport.smallSegments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLogTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);

    @Test
    void appendsAcrossManySegmentsAndKafkaReadsEveryBatchBack() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(4096, 512), time, scheduler)) {
            appendBatches(log, 200, 5, 40, Batches.BASE_TIME);
            assertEquals(1000, log.logEndOffset());
            assertTrue(log.numberOfSegments() > 10, "expected many segments, got " + log.numberOfSegments());

            List<Batches.StoredBatch> stored = allBatches(log.dir());
            assertEquals(200, stored.size());
            long expected = 0;
            for (int b = 0; b < stored.size(); b++) {
                Batches.StoredBatch batch = stored.get(b);
                assertEquals(expected, batch.baseOffset());
                assertEquals(expected + 4, batch.lastOffset());
                for (int i = 0; i < 5; i++) {
                    assertTrue(batch.values().get(i).startsWith("b" + b + ":" + i + ":"), batch.values().get(i));
                }
                expected += 5;
            }
            // Segment names are the base offset of their first batch.
            long[] bases = log.segmentBaseOffsets();
            int seg = 0;
            for (Path file : LogTestSupport.segmentFiles(log.dir()).values()) {
                List<Batches.StoredBatch> inFile = Batches.readWithKafka(file);
                if (!inFile.isEmpty()) {
                    assertEquals(bases[seg], inFile.get(0).baseOffset());
                }
                seg++;
            }
        }
    }

    @Test
    void everyOffsetLookupAgreesWithALinearScan() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(8192, 300), time, scheduler)) {
            java.util.Random random = new java.util.Random(7);
            for (int b = 0; b < 150; b++) {
                log.append(Batches.plain(1 + random.nextInt(6), 10 + random.nextInt(200), "r" + b,
                        Batches.BASE_TIME + b), 0);
            }
            List<Batches.StoredBatch> stored = allBatches(log.dir());
            for (long offset = 0; offset < log.logEndOffset(); offset++) {
                Batches.StoredBatch holder = null;
                for (Batches.StoredBatch s : stored) {
                    if (s.baseOffset() <= offset && offset <= s.lastOffset()) {
                        holder = s;
                        break;
                    }
                }
                assertNotNull(holder, "linear scan finds offset " + offset);
                FileSlice slice = log.read(offset, 1, Long.MAX_VALUE, true);
                assertEquals(holder.position(), slice.position(), "position for offset " + offset);
                assertEquals(holder.size(), slice.length(), "one whole batch for offset " + offset);
                assertEquals(holder.baseOffset(), slice.firstOffset());
                ByteBuffer bytes = slice.readAll();
                List<RecordBatch> read = Batches.readWithKafka(bytes);
                assertEquals(1, read.size());
                assertEquals(holder.baseOffset(), read.get(0).baseOffset());
            }
        }
    }

    @Test
    void slicesMatchAReferenceComputedFromKafkasViewOfTheSegments() throws IOException {
        for (int interval : new int[] {0, 700, 1 << 20}) {
            Path sub = dir.resolve("interval-" + interval);
            try (PartitionLog log = LogTestSupport.open(sub, smallSegments(16 * 1024, interval), time, scheduler)) {
                java.util.Random random = new java.util.Random(interval);
                for (int b = 0; b < 120; b++) {
                    log.append(Batches.plain(1 + random.nextInt(5), 20 + random.nextInt(300), "s" + b,
                            Batches.BASE_TIME + b), 0);
                }
                List<Batches.StoredBatch> stored = allBatches(log.dir());
                long end = log.logEndOffset();
                for (int trial = 0; trial < 400; trial++) {
                    long start = random.nextInt((int) end);
                    int maxBytes = random.nextInt(6000);
                    long bound = random.nextBoolean() ? Long.MAX_VALUE : start + random.nextInt(40);
                    boolean minOne = random.nextBoolean();
                    // Reference: batches of the holder's segment file from the holder on.
                    int holder = 0;
                    while (stored.get(holder).lastOffset() < start) {
                        holder++;
                    }
                    Path file = stored.get(holder).file();
                    int length = 0;
                    long next = start;
                    for (int i = holder; i < stored.size() && stored.get(i).file().equals(file); i++) {
                        Batches.StoredBatch s = stored.get(i);
                        if (s.lastOffset() >= Math.min(bound, end)) {
                            break;
                        }
                        if (length + s.size() > maxBytes && !(i == holder && minOne)) {
                            break;
                        }
                        length += s.size();
                        next = s.lastOffset() + 1;
                    }
                    FileSlice slice = log.read(start, maxBytes, bound, minOne);
                    String what = "start=" + start + " maxBytes=" + maxBytes + " bound=" + bound + " minOne=" + minOne;
                    assertEquals(length, slice.length(), what);
                    if (length > 0) {
                        assertEquals(stored.get(holder).position(), slice.position(), what);
                        assertEquals(next, slice.nextOffset(), what);
                    }
                }
            }
        }
    }

    @Test
    void readStartingMidBatchReturnsTheContainingBatch() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(1 << 20, 4096), time, scheduler)) {
            appendBatches(log, 10, 10, 20, Batches.BASE_TIME);
            FileSlice slice = log.read(57, 1 << 20, Long.MAX_VALUE, true);
            List<RecordBatch> read = Batches.readWithKafka(slice.readAll());
            assertEquals(50, read.get(0).baseOffset());
            assertEquals(5, read.size());
            assertEquals(100, slice.nextOffset());
        }
    }

    @Test
    void readHoldsOnlyWholeBatchesWithinMaxBytesButAlwaysOne() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(1 << 20, 4096), time, scheduler)) {
            appendBatches(log, 10, 4, 100, Batches.BASE_TIME);
            int batchSize = allBatches(log.dir()).get(0).size();
            FileSlice tiny = log.read(0, 10, Long.MAX_VALUE, true);
            assertEquals(batchSize, tiny.length(), "one whole batch although larger than max bytes");
            FileSlice none = log.read(0, 10, Long.MAX_VALUE, false);
            assertTrue(none.isEmpty());
            FileSlice three = log.read(0, batchSize * 3 + batchSize / 2, Long.MAX_VALUE, true);
            assertEquals(batchSize * 3, three.length());
            assertEquals(3, Batches.readWithKafka(three.readAll()).size());
        }
    }

    @Test
    void aSliceTransfersItsExactBytesToAChannel() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(1 << 20, 512), time, scheduler)) {
            appendBatches(log, 20, 4, 100, Batches.BASE_TIME);
            FileSlice slice = log.read(13, 3000, Long.MAX_VALUE, true);
            Path out = dir.resolve("sent.bin");
            try (java.nio.channels.FileChannel target = java.nio.channels.FileChannel.open(out,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                slice.transferTo(target);
            }
            byte[] sent = java.nio.file.Files.readAllBytes(out);
            assertEquals(slice.readAll(), ByteBuffer.wrap(sent));
            List<RecordBatch> batches = Batches.readWithKafka(ByteBuffer.wrap(sent));
            assertEquals(12, batches.get(0).baseOffset());
        }
    }

    @Test
    void readNeverPassesTheHighWatermark() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(1 << 20, 4096), time, scheduler)) {
            appendBatches(log, 10, 4, 10, Batches.BASE_TIME);
            log.updateHighWatermark(20);
            FileSlice slice = log.read(0, 1 << 20, log.highWatermark(), true);
            List<RecordBatch> read = Batches.readWithKafka(slice.readAll());
            assertEquals(5, read.size());
            assertEquals(19, read.get(read.size() - 1).lastOffset());
            assertEquals(20, slice.nextOffset());
            assertTrue(log.read(20, 1 << 20, log.highWatermark(), true).isEmpty());
            // A high watermark inside a batch stops before that batch.
            FileSlice partial = log.read(0, 1 << 20, 22, true);
            assertEquals(19, Batches.readWithKafka(partial.readAll()).get(4).lastOffset());
            assertEquals(5, Batches.readWithKafka(partial.readAll()).size());
        }
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRange() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(1 << 20, 4096), time, scheduler)) {
            appendBatches(log, 2, 3, 10, Batches.BASE_TIME);
            LogException e = assertThrows(LogException.class, () -> log.read(7, 100, Long.MAX_VALUE, true));
            assertEquals(io.fjord.common.errors.Errors.OFFSET_OUT_OF_RANGE, e.error());
            assertTrue(log.read(6, 100, Long.MAX_VALUE, true).isEmpty(), "the end offset itself reads empty");
        }
    }

    @Test
    void offsetForTimestampUsesTheTimeIndexAcrossSegments() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, smallSegments(2048, 256), time, scheduler)) {
            // Batch b has timestamps 1000*b .. 1000*b+2.
            for (int b = 0; b < 60; b++) {
                log.append(Batches.plain(3, 30, "t" + b, Batches.BASE_TIME + 1000L * b), 0);
            }
            assertTrue(log.numberOfSegments() > 3);
            for (int b = 0; b < 60; b++) {
                TimestampOffset found = log.offsetForTimestamp(Batches.BASE_TIME + 1000L * b + 1);
                assertEquals(3L * b + 1, found.offset(), "the record, inside batch " + b);
                assertEquals(Batches.BASE_TIME + 1000L * b + 1, found.timestamp());
            }
            assertEquals(null, log.offsetForTimestamp(Batches.BASE_TIME + 1000L * 60));
            assertEquals(0L, log.offsetForTimestamp(PartitionLog.EARLIEST_TIMESTAMP).offset());
            assertEquals(180L, log.offsetForTimestamp(PartitionLog.LATEST_TIMESTAMP).offset());
            TimestampOffset max = log.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP);
            assertEquals(179L, max.offset());
            assertEquals(Batches.BASE_TIME + 1000L * 59 + 2, max.timestamp());
        }
    }

    @Test
    void logAppendTimeIsStampedAndTheCrcStillChecks() throws IOException {
        LogConfig config = LogTestSupport.with(smallSegments(1 << 20, 4096), "message.timestamp.type", "LogAppendTime");
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            time.sleep(5000);
            LogAppendInfo info = log.append(Batches.plain(3, 10, "lat", 1L), 0);
            assertEquals(time.milliseconds(), info.logAppendTime());
            List<Batches.StoredBatch> stored = allBatches(log.dir());
            assertEquals(time.milliseconds(), stored.get(0).maxTimestamp());
        }
    }

    @Test
    void reopenAfterCleanCloseKeepsEverythingAndAppendsContinue() throws IOException {
        LogConfig config = smallSegments(4096, 256);
        Path logDir;
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            appendBatches(log, 50, 4, 30, Batches.BASE_TIME);
            logDir = log.dir();
        }
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            assertEquals(200, log.logEndOffset());
            LogAppendInfo info = log.append(Batches.plain(2, 10, "after", Batches.BASE_TIME), 0);
            assertEquals(200, info.firstOffset());
            for (long o = 0; o < 202; o += 7) {
                assertFalse(log.read(o, 1, Long.MAX_VALUE, true).isEmpty());
            }
        }
        assertEquals(51, allBatches(logDir).size());
        assertEquals(TP, PartitionLog.parseDirName(logDir.getFileName().toString()));
    }
}
