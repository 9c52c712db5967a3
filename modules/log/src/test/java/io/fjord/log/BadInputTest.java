package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.RecordBatchView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BadInputTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);

    private void assertRejectedWithoutChange(Errors expected, LogConfig config, UnaryOperator<ByteBuffer> damage)
            throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config, time, new ManualScheduler(time))) {
            LogTestSupport.appendBatches(log, 3, 2, 10, Batches.BASE_TIME);
            log.flush();
            Map<String, byte[]> before = LogTestSupport.snapshotFiles(log.dir());
            long endBefore = log.logEndOffset();
            ByteBuffer bad = damage.apply(Batches.plain(4, 50, "bad", Batches.BASE_TIME));
            LogException e = assertThrows(LogException.class, () -> log.append(bad, 0));
            assertEquals(expected, e.error(), e.getMessage());
            assertEquals(endBefore, log.logEndOffset());
            Map<String, byte[]> after = LogTestSupport.snapshotFiles(log.dir());
            assertEquals(before.keySet(), after.keySet());
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), name + " changed");
            }
            // The log still works.
            assertEquals(endBefore, log.append(Batches.plain(1, 5, "ok", Batches.BASE_TIME), 0).firstOffset());
        }
    }

    private static LogConfig config() {
        return LogTestSupport.smallSegments(1 << 20, 4096);
    }

    @Test
    void flippedCrcByteIsCorrupt() throws IOException {
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> {
            b.put(70, (byte) (b.get(70) ^ 0x40));
            return b;
        });
    }

    @Test
    void truncatedBatchIsCorrupt() throws IOException {
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> b.limit(b.limit() - 7));
    }

    @Test
    void tooShortForAHeaderIsCorrupt() throws IOException {
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> b.limit(30));
    }

    @Test
    void negativeAndHugeLengthsAreCorruptWithoutAllocating() throws IOException {
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> b.putInt(8, -5));
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> b.putInt(8, Integer.MAX_VALUE));
    }

    @Test
    void secondBatchBrokenRejectsTheWholeAppend() throws IOException {
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> {
            ByteBuffer two = ByteBuffer.allocate(b.remaining() * 2);
            two.put(b.duplicate()).put(b.duplicate()).flip();
            two.put(b.remaining() + 80, (byte) 1);
            return two;
        });
    }

    @Test
    void unknownMagicIsCorrupt() throws IOException {
        assertRejectedWithoutChange(Errors.CORRUPT_MESSAGE, config(), b -> b.put(RecordBatchView.MAGIC_OFFSET, (byte) 7));
    }

    @Test
    void batchAboveMaxMessageBytesIsTooLarge() throws IOException {
        LogConfig small = LogTestSupport.with(config(), "max.message.bytes", 150);
        assertRejectedWithoutChange(Errors.MESSAGE_TOO_LARGE, small, b -> b);
    }

    @Test
    void appendAboveSegmentBytesIsRecordListTooLarge() throws IOException {
        LogConfig small = LogTestSupport.with(config(), "segment.bytes", 200);
        assertRejectedWithoutChange(Errors.RECORD_LIST_TOO_LARGE, small, b -> b);
    }

    @Test
    void timestampsOutsideTheWindowAreInvalid() throws IOException {
        LogConfig strict = LogTestSupport.with(LogTestSupport.with(config(), "message.timestamp.after.max.ms", 1000),
                "message.timestamp.before.max.ms", 1000);
        assertRejectedWithoutChange(Errors.INVALID_TIMESTAMP, strict,
                b -> Batches.plain(2, 5, "future", Batches.BASE_TIME + 60_000));
        assertRejectedWithoutChange(Errors.INVALID_TIMESTAMP, strict,
                b -> Batches.plain(2, 5, "past", Batches.BASE_TIME - 60_000));
        assertRejectedWithoutChange(Errors.INVALID_TIMESTAMP, strict, b -> {
            b.putLong(RecordBatchView.BASE_TIMESTAMP_OFFSET, Long.MIN_VALUE + 5);
            return reseal(b);
        });
    }

    @Test
    void recordCountThatDisagreesWithTheOffsetsIsInvalid() throws IOException {
        assertRejectedWithoutChange(Errors.INVALID_RECORD, config(), b -> {
            // lastOffsetDelta is under the CRC, so the damage is sealed with a fresh CRC.
            b.putInt(RecordBatchView.LAST_OFFSET_DELTA_OFFSET, 7);
            return reseal(b);
        });
    }

    /** Recomputes the CRC after a deliberate change to a field under it. */
    private static ByteBuffer reseal(ByteBuffer b) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.duplicate().position(RecordBatchView.ATTRIBUTES_OFFSET));
        b.putInt(RecordBatchView.CRC_OFFSET, (int) crc.getValue());
        return b;
    }

    @Test
    void aReadOnlyBufferIsRefusedBeforeAnythingHappens() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config(), time, new ManualScheduler(time))) {
            ByteBuffer readOnly = Batches.plain(2, 5, "ro", Batches.BASE_TIME).asReadOnlyBuffer();
            assertThrows(IllegalArgumentException.class, () -> log.append(readOnly, 0));
            assertEquals(0, log.logEndOffset());
            assertEquals(0, log.size());
        }
    }

    @Test
    void emptyAppendIsInvalid() throws IOException {
        assertRejectedWithoutChange(Errors.INVALID_RECORD, config(), b -> ByteBuffer.allocate(0));
    }
}
