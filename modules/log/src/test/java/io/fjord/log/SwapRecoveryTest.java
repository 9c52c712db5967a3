package io.fjord.log;

import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import io.fjord.protocol.record.CodecRegistry;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash at every point of a swap: the folder is copied as the disk stands at that point (a
 * kill -9 loses nothing the process wrote, so the copy is what a restart finds), then opened as
 * after an unclean stop. Every reader must see the log as before the cleaning or as after it.
 */
class SwapRecoveryTest {

    @TempDir
    Path root;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);

    /** Where the crash happens, and how far the step after it got. */
    enum CrashPoint {
        WRITING_CLEANED(SegmentSwap.Step.CLEANED_WRITTEN, false),
        CLEANED_COMPLETE(SegmentSwap.Step.CLEANED_WRITTEN, false),
        RENAMING_TO_SWAP(SegmentSwap.Step.RENAMED_TO_SWAP, false),
        ALL_SWAP(SegmentSwap.Step.RENAMED_TO_SWAP, true),
        DELETING_OLD(SegmentSwap.Step.RENAMED_TO_SWAP, true),
        OLD_DELETED(SegmentSwap.Step.OLD_SEGMENTS_DELETED, true),
        RENAMING_FROM_SWAP(SegmentSwap.Step.OLD_SEGMENTS_DELETED, true),
        SWAPPED_IN(SegmentSwap.Step.SWAPPED_IN, true);

        final SegmentSwap.Step step;
        final boolean cleaned;

        CrashPoint(SegmentSwap.Step step, boolean cleaned) {
            this.step = step;
            this.cleaned = cleaned;
        }
    }

    private PartitionLog open(Path logDir, boolean clean) throws IOException {
        return PartitionLog.open(logDir.resolve(PartitionLog.dirName(LogTestSupport.TP)), LogTestSupport.TP,
                Compacted.config(1024 * 1024, 60_000), 0L, 0L, clean, time, scheduler, CodecRegistry.NONE);
    }

    /** Three rolled segments of three rounds over 100 keys: one group for the cleaner. */
    private PartitionLog writeLog(Path logDir) throws IOException {
        PartitionLog log = open(logDir, true);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 100; k += 5) {
                String[] kvs = new String[10];
                for (int i = 0; i < 5; i++) {
                    kvs[2 * i] = "key-" + (k + i);
                    kvs[2 * i + 1] = round == 2 && (k + i) % 10 == 0 ? null : "v" + round + "-" + (k + i);
                }
                log.append(Compacted.batch(time.milliseconds(), kvs), 0);
            }
            log.roll();
        }
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aCrashAtAnyPointOfASwapLeavesTheLogBeforeOrAfterTheCleaning(CrashPoint crash) throws Exception {
        Path reference = root.resolve("reference");
        List<Compacted.KeyValue> before;
        List<Compacted.KeyValue> after;
        try (PartitionLog log = writeLog(reference)) {
            before = Compacted.read(log.dir());
            new LogCleaner(Compacted.cleanerConfig(), List.of(reference), () -> List.of(log), time).cleanOnce();
            after = Compacted.read(log.dir());
        }
        assertNotEquals(before, after);
        assertEquals(Compacted.latest(before), Compacted.latest(after));

        Path live = root.resolve("live");
        Path crashed = root.resolve("crashed");
        try (PartitionLog log = writeLog(live)) {
            LogCleaner cleaner = new LogCleaner(Compacted.cleanerConfig(), List.of(live), () -> List.of(log), time);
            cleaner.callerCleaner().swapListener(step -> {
                if (step == crash.step) {
                    copyFolder(log.dir(), crashed.resolve(log.dir().getFileName()));
                }
            });
            assertNotNull(cleaner.cleanOnce());
        }
        Path partition = crashed.resolve(PartitionLog.dirName(LogTestSupport.TP));
        cutShort(crash, partition);

        try (PartitionLog recovered = open(crashed, false)) {
            assertEquals(crash.cleaned ? after : before, Compacted.read(partition));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(partition, "*{.cleaned,.swap,.deleted}")) {
                assertTrue(!files.iterator().hasNext(), "no file of the swap is left");
            }
            long end = recovered.logEndOffset();
            assertEquals(before.get(before.size() - 1).offset() + 1, end);
            recovered.append(Compacted.batch(time.milliseconds(), "key-1", "later"), 0);
            assertEquals(end + 1, recovered.logEndOffset());
        }
    }

    /** Turns the copy of a step's end into the state a crash half-way through the next step leaves. */
    private static void cutShort(CrashPoint crash, Path partition) throws IOException {
        String base = LogSegment.fileName(0, "");
        switch (crash) {
            case WRITING_CLEANED -> {
                try (FileChannel log = FileChannel.open(partition.resolve(base + ".log.cleaned"),
                        StandardOpenOption.WRITE)) {
                    log.truncate(log.size() / 2);
                }
            }
            case RENAMING_TO_SWAP -> Files.move(partition.resolve(base + ".timeindex.swap"),
                    partition.resolve(base + ".timeindex.cleaned"));
            case DELETING_OLD -> {
                for (String suffix : List.of(".log", ".index", ".timeindex")) {
                    Files.move(partition.resolve(base + suffix), partition.resolve(base + suffix + ".deleted"));
                }
            }
            case RENAMING_FROM_SWAP -> Files.move(partition.resolve(base + ".log.swap"), partition.resolve(base + ".log"));
            default -> {
            }
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path file : files) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
