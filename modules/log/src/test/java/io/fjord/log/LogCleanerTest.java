package io.fjord.log;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import io.fjord.protocol.record.CodecRegistry;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCleanerTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);

    private PartitionLog open(LogConfig config, CodecRegistry codecs) throws IOException {
        return PartitionLog.open(dir.resolve(PartitionLog.dirName(LogTestSupport.TP)), LogTestSupport.TP, config,
                0L, 0L, true, time, scheduler, codecs);
    }

    private LogCleaner cleaner(PartitionLog log) throws IOException {
        LogCleaner cleaner = new LogCleaner(Compacted.cleanerConfig(), List.of(dir), () -> List.of(log), time);
        cleaner.startup();
        return cleaner;
    }

    /** Writes {@code rounds} values of {@code keys} keys, {@code perBatch} records a batch; then rolls. */
    private static List<Compacted.KeyValue> writeRounds(PartitionLog log, int keys, int rounds, int perBatch,
                                                        long timestamp) {
        List<Compacted.KeyValue> written = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < keys; k += perBatch) {
                String[] kvs = new String[2 * Math.min(perBatch, keys - k)];
                for (int i = 0; i < kvs.length / 2; i++) {
                    kvs[2 * i] = "key-" + (k + i);
                    kvs[2 * i + 1] = "value-" + (k + i) + "-round-" + r;
                }
                long base = log.append(Compacted.batch(timestamp, kvs), 0).firstOffset();
                for (int i = 0; i < kvs.length / 2; i++) {
                    written.add(new Compacted.KeyValue(base + i, kvs[2 * i], kvs[2 * i + 1]));
                }
            }
        }
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
        return written;
    }

    private static void assertCompacted(List<Compacted.KeyValue> written, List<Compacted.KeyValue> read) {
        assertEquals(Compacted.latest(written), Compacted.latest(read), "the latest value of every key");
        Set<String> keys = new HashSet<>();
        Set<Compacted.KeyValue> all = new HashSet<>(written);
        long previous = -1;
        for (Compacted.KeyValue kv : read) {
            assertTrue(keys.add(kv.key()), "key " + kv.key() + " appears twice");
            assertTrue(kv.offset() > previous, "offsets increase");
            previous = kv.offset();
            assertTrue(all.contains(kv), kv + " kept its offset and value");
        }
    }

    @Test
    void keepsOnlyTheLatestRecordOfEachKeyAtItsOffset() throws Exception {
        try (PartitionLog log = open(Compacted.config(4096, 60_000), CodecRegistry.NONE)) {
            List<Compacted.KeyValue> written = writeRounds(log, 200, 6, 10, time.milliseconds());
            long sizeBefore = log.size();
            LogCleaner cleaner = cleaner(log);
            CleanerStats stats = cleaner.cleanOnce();
            assertNotNull(stats);
            assertEquals(log.logEndOffset(), stats.endOffset(), "the whole dirty section fit the map");
            assertEquals(1.0, stats.dirtyRatio(), "nothing was clean before");
            assertEquals(1200, stats.recordsRead());
            assertEquals(200, stats.recordsWritten());
            assertTrue(stats.bytesWritten() < stats.bytesRead());
            assertTrue(log.size() < sizeBefore / 3, log.size() + " of " + sizeBefore);
            assertCompacted(written, Compacted.read(log.dir()));
            assertEquals(log.logEndOffset(), cleaner.firstDirtyOffset(LogTestSupport.TP));
            assertEquals(Map.of(LogTestSupport.TP, log.logEndOffset()),
                    new OffsetCheckpointFile(dir.resolve(LogCleaner.CHECKPOINT_FILE)).read());
            assertNull(cleaner.cleanOnce(), "nothing is dirty any more");
            // The log reads through its own API too, from the first offset on.
            FileSlice slice = log.read(0, Integer.MAX_VALUE, log.logEndOffset(), true);
            assertEquals(1000, slice.firstOffset(), "the first batch kept holds the last round");
            assertTrue(slice.length() > 0);
            assertTrue(Files.list(log.dir()).noneMatch(p -> p.toString().endsWith(".cleaned")
                    || p.toString().endsWith(".swap")));
        }
    }

    @Test
    void aDirtySectionLargerThanTheMapIsCleanedInSeveralPasses() throws Exception {
        try (PartitionLog log = open(Compacted.config(256 * 1024, 60_000), CodecRegistry.NONE)) {
            // The 1 MiB map holds 39,321 keys; two rounds of 50,000 keys need three passes.
            List<Compacted.KeyValue> written = writeRounds(log, 50_000, 2, 500, time.milliseconds());
            LogCleaner cleaner = cleaner(log);
            int passes = 0;
            CleanerStats stats;
            while ((stats = cleaner.cleanOnce()) != null) {
                passes++;
                assertTrue(stats.mapUtilization() <= 1.0);
            }
            assertTrue(passes >= 3, "passes: " + passes);
            assertCompacted(written, Compacted.read(log.dir()));
        }
    }

    @Test
    void tombstonesStayForDeleteRetentionAfterTheirFirstCleaningThenGo() throws Exception {
        try (PartitionLog log = open(Compacted.config(4096, 60_000), CodecRegistry.NONE)) {
            List<Compacted.KeyValue> written = writeRounds(log, 50, 2, 10, time.milliseconds());
            long base = log.append(Compacted.batch(time.milliseconds(), "key-1", null, "key-2", null), 0).firstOffset();
            written.add(new Compacted.KeyValue(base, "key-1", null));
            written.add(new Compacted.KeyValue(base + 1, "key-2", null));
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            LogCleaner cleaner = cleaner(log);
            long cleanedAt = time.milliseconds();
            assertNotNull(cleaner.cleanOnce());
            List<Compacted.KeyValue> afterFirst = Compacted.read(log.dir());
            assertTrue(afterFirst.contains(new Compacted.KeyValue(base, "key-1", null)), "the tombstone stays");
            assertFalse(afterFirst.stream().anyMatch(kv -> kv.key().equals("key-1") && kv.value() != null));
            RecordBatch tombstones = Compacted.batches(log.dir()).stream()
                    .filter(b -> b.baseOffset() == base).findFirst().orElseThrow();
            assertEquals(cleanedAt + 60_000, tombstones.deleteHorizonMs().getAsLong(), "Kafka reads the horizon");
            assertEquals(base + 1, tombstones.lastOffset());

            time.sleep(59_999);
            assertNull(cleaner.cleanOnce(), "before the horizon nothing is due");
            time.sleep(1);
            CleanerStats second = cleaner.cleanOnce();
            assertNotNull(second, "the horizon makes the log due");
            List<Compacted.KeyValue> afterSecond = Compacted.read(log.dir());
            assertFalse(afterSecond.stream().anyMatch(kv -> kv.key().equals("key-1") || kv.key().equals("key-2")));
            assertEquals(Compacted.latest(written), Compacted.latest(afterSecond));
            assertEquals(48, afterSecond.size());
        }
    }

    @Test
    void theNewestBatchOfAProducerStaysAsAnEmptyBatchSoItsSequenceSurvives() throws Exception {
        LogConfig config = Compacted.config(4096, 60_000);
        long producerId = 77;
        Path partition;
        try (PartitionLog log = open(config, CodecRegistry.NONE)) {
            partition = log.dir();
            log.append(Compacted.batch(Compression.NONE, producerId, (short) 3, 0, time.milliseconds(),
                    "a", "1", "b", "1"), 0);
            log.append(Compacted.batch(Compression.NONE, producerId, (short) 3, 2, time.milliseconds(),
                    "a", "2", "b", "2", "c", "2"), 0);
            // Others overwrite every key the producer wrote.
            log.append(Compacted.batch(time.milliseconds(), "a", "3", "b", "3", "c", "3"), 0);
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            assertNotNull(cleaner(log).cleanOnce());
            List<RecordBatch> batches = Compacted.batches(partition);
            assertEquals(2, batches.size(), "the producer's first batch goes, its newest stays empty");
            RecordBatch empty = batches.get(0);
            assertEquals(2, empty.baseOffset());
            assertEquals(4, empty.lastOffset());
            assertEquals(producerId, empty.producerId());
            assertEquals(3, empty.producerEpoch());
            assertEquals(2, empty.baseSequence());
            assertEquals(4, empty.lastSequence());
            assertEquals(0, empty.countOrNull());
        }
        try (PartitionLog reopened = open(config, CodecRegistry.NONE)) {
            assertEquals(4, reopened.producerState(producerId).lastSeq());
            // The producer's next batch follows on; a retry of an old one would be out of order.
            reopened.append(Compacted.batch(Compression.NONE, producerId, (short) 3, 5, time.milliseconds(),
                    "d", "1"), 0);
            LogException e = assertThrows(LogException.class, () -> reopened.append(Compacted.batch(Compression.NONE,
                    producerId, (short) 3, 9, time.milliseconds(), "d", "2"), 0));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, e.error());
        }
    }

    @Test
    void compressedBatchesAreRewrittenInTheirCodec() throws Exception {
        try (PartitionLog log = open(Compacted.config(4096, 60_000), Compacted.GZIP)) {
            List<Compacted.KeyValue> written = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                long base = log.append(Compacted.batch(Compression.gzip().build(), -1L, (short) -1, -1,
                        time.milliseconds(), "x", "x" + r, "y" + r, "y", "z", "z" + r), 0).firstOffset();
                written.add(new Compacted.KeyValue(base, "x", "x" + r));
                written.add(new Compacted.KeyValue(base + 1, "y" + r, "y"));
                written.add(new Compacted.KeyValue(base + 2, "z", "z" + r));
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            assertNotNull(cleaner(log).cleanOnce());
            assertCompacted(written, Compacted.read(log.dir()));
            for (RecordBatch batch : Compacted.batches(log.dir())) {
                assertEquals(CompressionType.GZIP, batch.compressionType());
            }
        }
    }

    @Test
    void aCompactedLogRefusesRecordsWithoutKeyAsKafkaDoes() throws Exception {
        try (PartitionLog log = open(Compacted.config(4096, 60_000), Compacted.GZIP)) {
            log.append(Compacted.batch(time.milliseconds(), "k", "v"), 0);
            for (Compression compression : List.of(Compression.NONE, Compression.gzip().build())) {
                ByteBuffer keyless = Compacted.batch(compression, -1L, (short) -1, -1, time.milliseconds(),
                        "k", "v", null, "no key");
                LogException e = assertThrows(LogException.class, () -> log.append(keyless, 0));
                assertEquals(Errors.INVALID_RECORD, e.error());
                assertEquals("Compacted topic cannot accept message without key in topic partition "
                        + new TopicPartition("events", 3) + ".", e.getMessage());
            }
            assertEquals(1, log.logEndOffset(), "nothing of a refused batch was written");
        }
    }

    @Test
    void groupsFitOneSegmentAndTheIndexesAndCoverEverySegmentInOrder() throws Exception {
        LogConfig config = Compacted.config(4096, 60_000);
        try (PartitionLog log = open(config, CodecRegistry.NONE)) {
            writeRounds(log, 300, 1, 7, time.milliseconds());
            List<LogSegment> segments = log.segmentList().all();
            List<LogSegment> inactive = segments.subList(0, segments.size() - 1);
            List<List<LogSegment>> groups = Cleaner.groupBySize(inactive, config, log.logEndOffset());
            List<LogSegment> flattened = new ArrayList<>();
            for (List<LogSegment> group : groups) {
                long bytes = group.stream().mapToLong(LogSegment::size).sum();
                assertTrue(group.size() == 1 || bytes <= config.segmentBytes(), "group of " + bytes + " bytes");
                flattened.addAll(group);
            }
            assertEquals(inactive, flattened);
            assertTrue(groups.size() > 1);

            LogConfig roomy = Compacted.config(1024 * 1024, 60_000);
            assertEquals(1, Cleaner.groupBySize(inactive, roomy, log.logEndOffset()).size());
        }
    }

    @Test
    void minCompactionLagKeepsYoungSegmentsDirty() throws Exception {
        LogConfig config = LogTestSupport.with(Compacted.config(4096, 60_000), "min.compaction.lag.ms", 10_000L);
        try (PartitionLog log = open(config, CodecRegistry.NONE)) {
            writeRounds(log, 100, 3, 10, time.milliseconds());
            LogCleaner cleaner = cleaner(log);
            assertNull(cleaner.cleanOnce(), "every segment is younger than the lag");
            time.sleep(10_100);
            assertNotNull(cleaner.cleanOnce());
        }
    }

    @Test
    void readsKafkasBrokerKeys() {
        CleanerConfig config = CleanerConfig.fromProperties(Map.of("log.cleaner.enable", "false",
                "log.cleaner.threads", "2", "log.cleaner.dedupe.buffer.size", "8388608",
                "log.cleaner.io.buffer.size", "65536", "log.cleaner.io.buffer.load.factor", "0.75",
                "log.cleaner.io.max.bytes.per.second", "1048576", "log.cleaner.backoff.ms", "100"));
        assertEquals(new CleanerConfig(false, 2, 8388608, 65536, 0.75, 1048576, 100), config);
        assertEquals(4194304, config.dedupeBufferPerThread());
        assertEquals(new CleanerConfig(true, 1, 134217728, 524288, 0.9, Double.MAX_VALUE, 15000),
                CleanerConfig.fromProperties(Map.of()), "Kafka's defaults");
        assertThrows(io.fjord.api.ConfigException.class,
                () -> CleanerConfig.fromProperties(Map.of("log.cleaner.threads", "0")));
        assertThrows(io.fjord.api.ConfigException.class,
                () -> CleanerConfig.fromProperties(Map.of("log.cleaner.dedupe.buffer.size", "1000")));
    }

    @Test
    void theLogManagersCleanerThreadsCleanOnTheirOwn() throws Exception {
        LogConfig config = Compacted.config(4096, 60_000);
        CleanerConfig cleanerConfig = new CleanerConfig(true, 2, 2 * 1024 * 1024, 64 * 1024, 0.9, Double.MAX_VALUE, 10);
        LogManager manager = new LogManager(List.of(dir), tp -> config, LogManagerConfig.defaults(), cleanerConfig,
                CodecRegistry.NONE, time, scheduler);
        manager.startup();
        try {
            PartitionLog log = manager.getOrCreateLog(LogTestSupport.TP);
            List<Compacted.KeyValue> written = writeRounds(log, 100, 5, 10, time.milliseconds());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (manager.cleaner().firstDirtyOffset(LogTestSupport.TP) < log.logEndOffset()) {
                assertTrue(System.nanoTime() < deadline, "no cleaning in 30 s");
                Thread.sleep(5);
            }
            assertEquals(500, manager.cleaner().lastStats(LogTestSupport.TP).recordsRead());
            assertCompacted(written, Compacted.read(log.dir()));
        } finally {
            manager.shutdown();
        }
        assertEquals(Map.of(LogTestSupport.TP, 500L),
                new OffsetCheckpointFile(dir.resolve(LogCleaner.CHECKPOINT_FILE)).read());
    }
}
