package io.fjord.log;

import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ListOffsets answers for batches the log does not open: a compressed batch and a LogAppendTime
 * batch are answered with their first offset (or the log start, if later) and max timestamp.
 */
class TimestampLookupTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);

    @Test
    void aCompressedBatchIsAnsweredWithItsFirstOffsetAndMaxTimestamp() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, LogTestSupport.smallSegments(1 << 20, 256), time,
                scheduler)) {
            // Batch b holds 3 records with timestamps 1000*b .. 1000*b+2.
            for (int b = 0; b < 10; b++) {
                log.append(Batches.build(Compression.gzip().build(), 3, 30, "z" + b, Batches.BASE_TIME + 1000L * b,
                        -1L, (short) -1, -1), 0);
            }
            TimestampOffset inside = log.offsetForTimestamp(Batches.BASE_TIME + 4001);
            assertEquals(new TimestampOffset(Batches.BASE_TIME + 4002, 12), inside);
            TimestampOffset max = log.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP);
            assertEquals(new TimestampOffset(Batches.BASE_TIME + 9002, 27), max);

            log.updateHighWatermark(log.logEndOffset());
            log.deleteRecordsBefore(13);
            assertEquals(new TimestampOffset(Batches.BASE_TIME + 4002, 13),
                    log.offsetForTimestamp(Batches.BASE_TIME + 4001), "never below the log start");
        }
    }

    @Test
    void aLogAppendTimeBatchIsAnsweredWithItsFirstOffsetAndTheAppendTime() throws IOException {
        LogConfig config = LogTestSupport.with(LogTestSupport.smallSegments(1 << 20, 256), "message.timestamp.type",
                "LogAppendTime");
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            for (int b = 0; b < 5; b++) {
                log.append(Batches.plain(3, 20, "a" + b, 1L), 0);
                time.sleep(1000);
            }
            assertEquals(new TimestampOffset(Batches.BASE_TIME + 2000, 6),
                    log.offsetForTimestamp(Batches.BASE_TIME + 1500));
            assertEquals(new TimestampOffset(Batches.BASE_TIME + 4000, 12),
                    log.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP));
        }
    }
}
