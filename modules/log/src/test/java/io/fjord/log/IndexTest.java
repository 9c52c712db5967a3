package io.fjord.log;

import io.fjord.common.errors.Errors;
import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.log.index.OffsetIndex;
import io.fjord.log.index.OffsetPosition;
import io.fjord.log.index.TimeIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IndexTest {

    @TempDir
    Path dir;

    @Test
    void offsetIndexLookupMatchesALinearScanForEveryTarget() throws IOException {
        long base = 1_000_000L;
        Random random = new Random(11);
        int n = 5000; // more than the 1024-entry warm section, so both halves are searched
        long[] offsets = new long[n];
        int[] positions = new int[n];
        try (OffsetIndex index = new OffsetIndex(dir.resolve("a.index"), base, 8 * 8000)) {
            long offset = base;
            int position = 0;
            for (int i = 0; i < n; i++) {
                offset += 1 + random.nextInt(5);
                position += 1 + random.nextInt(4000);
                offsets[i] = offset;
                positions[i] = position;
                index.append(offset, position);
            }
            for (long target = base - 3; target <= offsets[n - 1] + 3; target++) {
                int expected = -1;
                for (int i = 0; i < n && offsets[i] <= target; i++) {
                    expected = i;
                }
                OffsetPosition found = index.lookup(target);
                if (expected < 0) {
                    assertEquals(new OffsetPosition(base, 0), found, "target " + target);
                } else {
                    assertEquals(new OffsetPosition(offsets[expected], positions[expected]), found, "target " + target);
                }
            }
        }
    }

    @Test
    void anIndexHoldsNoFileDescriptorWhileMappedResizedAndRenamed() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc to count descriptors");
        Path file = dir.resolve("00000000000000000100.index");
        try (OffsetIndex index = new OffsetIndex(file, 100, 8 * 100)) {
            index.append(105, 4_000);
            assertEquals(0, descriptorsOpenOn(fds, file), "after opening");
            index.trimToValidSize();
            assertEquals(8, Files.size(file));
            index.resize(8 * 100);
            index.append(110, 9_000);
            Path renamed = dir.resolve("00000000000000000100.index.deleted");
            index.renameTo(renamed);
            index.trimToValidSize();
            assertEquals(0, descriptorsOpenOn(fds, renamed) + descriptorsOpenOn(fds, file), "after resizes and a rename");
            assertEquals(16, Files.size(renamed));
            assertEquals(new OffsetPosition(110, 9_000), index.lookup(111));
        }
    }

    @Test
    void aResetIndexFoundUntrimmedAfterACrashIsEmptiedAndRebuilt() throws IOException {
        Path file = dir.resolve("00000000000000000200.index");
        try (OffsetIndex index = new OffsetIndex(file, 200, 8 * 1000)) {
            for (int i = 1; i <= 50; i++) {
                index.append(200 + i * 10, i * 1000);
            }
        }
        // Closing trimmed the file; a crash leaves it at its preallocated length, zeros after the entries.
        Files.write(file, new byte[8 * 1000 - (int) Files.size(file)], StandardOpenOption.APPEND);
        try (OffsetIndex found = new OffsetIndex(file, 200, 8 * 1000)) {
            assertEquals(1000, found.entries(), "an untrimmed file counts every slot");
            found.reset();
            assertEquals(0, found.entries());
            assertEquals(0, Files.size(file), "emptied, not zeroed");
            found.resize(8 * 1000);
            assertEquals(4096, Files.size(file), "a page of room, not the whole limit");
            assertEquals(new OffsetPosition(200, 0), found.lookup(500), "nothing of the old entries is left");
            found.append(205, 77);
            assertEquals(new OffsetPosition(205, 77), found.lookup(500));
        }
        assertEquals(8, Files.size(file), "closing trims to the one rebuilt entry");
    }

    @Test
    void aNewIndexFileGrowsWithItsEntriesUpToItsLimit() throws IOException {
        Path file = dir.resolve("00000000000000000000.timeindex");
        int limit = 12 * 2_000;
        try (TimeIndex index = new TimeIndex(file, 0, limit)) {
            assertEquals(4092, Files.size(file), "one page, whole entries only");
            int appended = 0;
            while (!index.isFull()) {
                index.maybeAppend(1_000L + appended, appended * 3L, false);
                appended++;
                assertTrue(Files.size(file) >= 12L * appended && Files.size(file) <= limit, "size " + Files.size(file));
            }
            assertEquals(1_999, appended, "a time index keeps its last slot for the roll");
            index.maybeAppend(1_000_000L, appended * 3L, true);
            assertEquals(limit, Files.size(file));
            for (int i = 0; i < appended; i += 97) {
                assertEquals(new TimestampOffset(1_000L + i, i * 3L), index.lookup(1_000L + i));
            }
        }
        assertEquals(limit, Files.size(file), "closing a full index leaves it whole");
    }

    @Test
    void readersLookUpWhileTheWriterGrowsTheFile() throws Exception {
        try (OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000000.index"), 0, 8 * 200_000)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread reader = new Thread(() -> {
                try {
                    while (writing.get()) {
                        OffsetPosition last = index.lastEntry();
                        OffsetPosition found = index.lookup(last.offset());
                        if (found.offset() < last.offset()) {
                            throw new AssertionError(found + " before " + last);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            for (int i = 1; i < 200_000; i++) {
                index.append(i * 2L, i * 100);
            }
            writing.set(false);
            reader.join();
            assertNull(failure.get(), () -> "a reader failed: " + failure.get());
            assertEquals(new OffsetPosition(399_998, 19_999_900), index.lastEntry());
        }
    }

    private static long descriptorsOpenOn(Path fds, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        try (var links = Files.list(fds)) {
            return links.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).equals(target);
                } catch (IOException e) {
                    return false; // the descriptor closed while listing
                }
            }).count();
        }
    }

    @Test
    void offsetIndexFileIsKafkasLayoutAndTrimmedOnClose() throws IOException {
        Path file = dir.resolve("00000000000000000100.index");
        OffsetIndex index = new OffsetIndex(file, 100, 4096);
        assertEquals(4096, Files.size(file), "preallocated");
        index.append(105, 0x01020304);
        index.append(300, 0x7fff0000);
        index.close();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer expected = ByteBuffer.allocate(16);
        expected.putInt(5).putInt(0x01020304).putInt(200).putInt(0x7fff0000);
        assertEquals(ByteBuffer.wrap(expected.array()), ByteBuffer.wrap(bytes));
    }

    @Test
    void timeIndexFileIsKafkasLayoutAndKeepsOnlyIncreasingTimestamps() throws IOException {
        Path file = dir.resolve("00000000000000000100.timeindex");
        TimeIndex index = new TimeIndex(file, 100, 12 * 10);
        index.maybeAppend(5000L, 110, false);
        index.maybeAppend(4000L, 120, false); // not larger: ignored
        index.maybeAppend(7000L, 130, false);
        assertEquals(new TimestampOffset(5000L, 110), index.lookup(6999L));
        assertEquals(new TimestampOffset(7000L, 130), index.lookup(7000L));
        assertEquals(new TimestampOffset(-1L, 100), index.lookup(10L));
        index.close();
        ByteBuffer expected = ByteBuffer.allocate(24);
        expected.putLong(5000L).putInt(10).putLong(7000L).putInt(30);
        assertEquals(ByteBuffer.wrap(expected.array()), ByteBuffer.wrap(Files.readAllBytes(file)));
    }

    @Test
    void timeIndexKeepsItsLastSlotForTheRollEntry() throws IOException {
        try (TimeIndex index = new TimeIndex(dir.resolve("t.timeindex"), 0, 12 * 3)) {
            index.maybeAppend(1L, 1, false);
            index.maybeAppend(2L, 2, false);
            assertTrue(index.isFull());
            assertThrows(IllegalStateException.class, () -> index.maybeAppend(3L, 3, false));
            index.maybeAppend(3L, 3, true);
            assertEquals(3, index.entries());
        }
    }

    @Test
    void offsetIndexRejectsNonIncreasingAndOverflowingOffsets() throws IOException {
        try (OffsetIndex index = new OffsetIndex(dir.resolve("b.index"), 10, 64)) {
            index.append(20, 0);
            assertThrows(IllegalStateException.class, () -> index.append(20, 10));
            assertThrows(IllegalStateException.class, () -> index.append(10L + Integer.MAX_VALUE + 1, 10));
        }
    }

    @Test
    void segmentIndexesPointAtTheBatchesKafkaFindsInTheLogFile() throws IOException {
        MockTime time = new MockTime(Batches.BASE_TIME);
        LogConfig config = LogTestSupport.smallSegments(64 * 1024, 500);
        Path logDir;
        try (PartitionLog log = LogTestSupport.open(dir, config, time, new ManualScheduler(time))) {
            for (int b = 0; b < 100; b++) {
                log.append(Batches.plain(3, 100, "i" + b, Batches.BASE_TIME + 10L * b), 0);
            }
            logDir = log.dir();
        }
        for (Path logFile : LogTestSupport.segmentFiles(logDir).values()) {
            String base = logFile.getFileName().toString().substring(0, 20);
            long baseOffset = Long.parseLong(base);
            List<Batches.StoredBatch> batches = Batches.readWithKafka(logFile);
            ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(logDir.resolve(base + ".index")));
            assertEquals(0, index.remaining() % 8, "trimmed to whole entries");
            assertTrue(index.remaining() / 8 > 10, "sparse but present");
            while (index.hasRemaining()) {
                long offset = baseOffset + index.getInt();
                int position = index.getInt();
                Batches.StoredBatch at = batches.stream().filter(s -> s.position() == position).findFirst()
                        .orElseThrow(() -> new AssertionError("no batch starts at " + position));
                assertTrue(at.baseOffset() <= offset && offset <= at.lastOffset(), "entry offset inside its batch");
            }
            ByteBuffer timeIndex = ByteBuffer.wrap(Files.readAllBytes(logDir.resolve(base + ".timeindex")));
            assertEquals(0, timeIndex.remaining() % 12);
            long previous = Long.MIN_VALUE;
            while (timeIndex.hasRemaining()) {
                long timestamp = timeIndex.getLong();
                long offset = baseOffset + timeIndex.getInt();
                assertTrue(timestamp > previous);
                previous = timestamp;
                Batches.StoredBatch holder = batches.stream()
                        .filter(s -> s.baseOffset() <= offset && offset <= s.lastOffset()).findFirst().orElseThrow();
                assertEquals(timestamp, holder.maxTimestamp(), "entry names the batch holding the max timestamp");
            }
            // The last time-index entry is the segment's largest timestamp.
            assertEquals(batches.get(batches.size() - 1).maxTimestamp(), previous);
        }
    }

    @Test
    void anIndexThatCannotGrowFailsTheAppendBeforeAnyByteIsWrittenAndLosesNothing() throws IOException {
        MockTime time = new MockTime(Batches.BASE_TIME);
        LogConfig config = LogTestSupport.with(LogTestSupport.smallSegments(1 << 20, 1), "segment.index.bytes", 64 * 1024);
        int appended = 0;
        Path logDir;
        try (PartitionLog log = LogTestSupport.open(dir, config, time, new ManualScheduler(time))) {
            logDir = log.dir();
            Path indexFile = logDir.resolve("00000000000000000000.index");
            Path segmentFile = logDir.resolve("00000000000000000000.log");
            Path aside = dir.resolve("aside.index");
            for (; appended < 10; appended++) {
                log.append(Batches.plain(1, 50, "b" + appended, Batches.BASE_TIME + appended), 0);
            }
            // The mapping outlives its file: with a directory in the file's place, the next growth
            // (which opens the file to extend it) fails as a full or broken disk would.
            Files.move(indexFile, aside);
            Files.createDirectory(indexFile);
            LogException refused = null;
            while (refused == null && appended < 2000) {
                long endBefore = log.logEndOffset();
                long bytesBefore = Files.size(segmentFile);
                try {
                    log.append(Batches.plain(1, 50, "b" + appended, Batches.BASE_TIME + appended), 0);
                    appended++;
                } catch (LogException e) {
                    refused = e;
                    assertEquals(endBefore, log.logEndOffset(), "nothing published");
                    assertEquals(bytesBefore, Files.size(segmentFile), "nothing written");
                }
            }
            assertTrue(refused != null, "the index had to grow within 2,000 batches");
            assertEquals(Errors.KAFKA_STORAGE_ERROR, refused.error());
            assertTrue(appended > 100, "the first page was used before the growth: " + appended);

            Files.delete(indexFile);
            Files.move(aside, indexFile);
            for (int more = 0; more < 10; more++, appended++) {
                log.append(Batches.plain(1, 50, "b" + appended, Batches.BASE_TIME + appended), 0);
            }
        }
        List<Batches.StoredBatch> stored = LogTestSupport.allBatches(logDir);
        assertEquals(appended, stored.size());
        for (int i = 0; i < appended; i++) {
            assertEquals(i, stored.get(i).baseOffset());
            assertEquals("b" + i + ":0:", stored.get(i).values().get(0).substring(0, ("b" + i + ":0:").length()));
        }
        try (PartitionLog reopened = LogTestSupport.open(dir, config, time, new ManualScheduler(time))) {
            assertEquals(appended, reopened.logEndOffset());
            for (int i = 0; i < appended; i += 7) {
                FileSlice slice = reopened.read(i, 1, Long.MAX_VALUE, true);
                assertEquals(i, slice.firstOffset(), "the index leads the read to offset " + i);
            }
        }
    }
}
