package io.fjord.log;

import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.fjord.log.LogTestSupport.TP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 at arbitrary points of appends, truncations and full truncations: a real child process
 * ({@link TruncatingReplicaMain}) is killed while it works, and the log it leaves must load into a
 * consistent log every time: whole CRC-valid batches with contiguous offsets, leader epochs that
 * start where their batches start, producer state that matches the last batch, and appends that
 * continue at the end.
 */
class TruncationCrashTest {

    private static final long TIMEOUT_MS = 120_000;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);

    @Test
    void everyKilledReplicaLeavesALogThatLoadsConsistently() throws Exception {
        Random random = new Random(11);
        int roundsSeen = 0;
        for (int kill = 0; kill < 5; kill++) {
            Process child = startChild(kill);
            try {
                BlockingQueue<String> lines = readLines(child);
                awaitLine(lines, "READY");
                int target = 20 + random.nextInt(150);
                for (int round = 0; round < target; round++) {
                    awaitLine(lines, "ROUND");
                }
                roundsSeen += target;
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child died after SIGKILL");
            }
            // A stale, too high recovery point trusts every segment but the last one.
            long recoveryPoint = kill % 2 == 0 ? 0L : Long.MAX_VALUE;
            try (PartitionLog log = PartitionLog.open(dir.resolve(PartitionLog.dirName(TP)), TP,
                    LogTestSupport.smallSegments(2048, 256), recoveryPoint, 0L, false, time, scheduler)) {
                assertConsistent(log);
            }
        }
        assertTrue(roundsSeen >= 100);
    }

    private static void assertConsistent(PartitionLog log) throws IOException {
        List<long[]> batches = new ArrayList<>(); // base, last, epoch
        for (Path file : LogTestSupport.segmentFiles(log.dir()).values()) {
            for (Batches.StoredBatch batch : Batches.readWithKafka(file)) {
                assertTrue(batch.values().get(0).startsWith("p1s" + batch.baseOffset() + ":"),
                        "batch at " + batch.baseOffset() + " holds " + batch.values().get(0));
                batches.add(new long[] {batch.baseOffset(), batch.lastOffset(), 0});
            }
            try (FileRecords records = FileRecords.open(file.toFile(), false)) {
                int i = batches.size() - Batches.readWithKafka(file).size();
                for (var batch : records.batches()) {
                    batches.get(i++)[2] = batch.partitionLeaderEpoch();
                }
            }
        }
        for (int i = 1; i < batches.size(); i++) {
            assertEquals(batches.get(i - 1)[1] + 1, batches.get(i)[0], "offsets are contiguous");
        }
        long end = log.logEndOffset();
        if (batches.isEmpty()) {
            assertEquals(log.segmentBaseOffsets()[0], end);
            assertNull(log.producerState(1L));
        } else {
            assertEquals(batches.get(batches.size() - 1)[1] + 1, end);
            assertEquals(batches.get(0)[0], log.logStartOffset());
            assertNotNull(log.producerState(1L));
            assertEquals((int) end - 1, log.producerState(1L).lastSeq(), "producer state matches the last batch");
        }
        int previousEpoch = -1;
        for (Map.Entry<Integer, Long> epoch : log.leaderEpochs().entrySet()) {
            assertTrue(epoch.getKey() > previousEpoch);
            previousEpoch = epoch.getKey();
            long start = epoch.getValue();
            assertTrue(start <= end, "epoch " + epoch + " starts past the end " + end);
            if (start < end) {
                long[] first = batches.stream().filter(b -> b[0] == start).findFirst().orElse(null);
                assertNotNull(first, "epoch " + epoch + " starts at a batch");
                assertTrue(first[2] >= epoch.getKey(), "epoch " + epoch + " starts at a batch of it");
            }
        }
        for (long[] batch : batches) {
            Map.Entry<Integer, Long> recorded = new java.util.TreeMap<>(log.leaderEpochs()).floorEntry((int) batch[2]);
            assertTrue(recorded != null && recorded.getValue() <= batch[0],
                    "the epoch of the batch at " + batch[0] + " is recorded");
        }
        LogAppendInfo next = log.append(Batches.idempotent(1L, (short) 0, (int) end, 2, Batches.BASE_TIME),
                log.latestEpoch() + 1);
        assertFalse(next.duplicate());
        assertEquals(end, next.firstOffset());
    }

    private Process startChild(int seed) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classPath(), TruncatingReplicaMain.class.getName(), dir.toString(),
                Integer.toString(seed));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("child.err")
                .toFile()));
        return builder.start();
    }

    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                // The child was killed: the waiting side times out or has what it needs.
            }
        }, "truncating-replica-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        String line = lines.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (line == null || !line.startsWith(prefix)) {
            fail("expected a " + prefix + " line from the child, got " + line);
        }
    }

    /** The module path and class path of this JVM, and the test classes (patched into the module). */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        String resource = TruncatingReplicaMain.class.getName().replace('.', '/') + ".class";
        URL url = TruncatingReplicaMain.class.getResource("/" + resource);
        try {
            String file = Path.of(url.toURI()).toString();
            entries.add(file.substring(0, file.length() - resource.length()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes from " + url, e);
        }
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
