package io.fjord.log;

import io.fjord.protocol.record.RecordBatchView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch cursor over segment files written batch by batch, with Kafka's FileRecords as the oracle. */
class FileBatchCursorTest {

    @TempDir
    Path dir;

    private Path file;

    /** Writes {@code count} batches of 1 to 4 records and varied sizes, with contiguous offsets from 0. */
    private List<Batches.StoredBatch> writeBatches(int count) throws IOException {
        file = dir.resolve(LogSegment.fileName(0, ".log"));
        long offset = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < count; i++) {
                int records = 1 + i % 4;
                ByteBuffer batch = Batches.plain(records, 20 + (37 * i) % 300, "c" + i, Batches.BASE_TIME + 10L * i);
                batch.putLong(RecordBatchView.BASE_OFFSET_OFFSET, offset);
                offset += records;
                while (batch.hasRemaining()) {
                    ch.write(batch);
                }
            }
        }
        return Batches.readWithKafka(file);
    }

    private void append(byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes));
        }
    }

    private void overwriteInt(long position, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, value), position);
        }
    }

    /** Walks from {@code start} to {@code limit}, checking each batch against Kafka's view; returns the count. */
    private int walk(FileChannel ch, int start, int limit, List<Batches.StoredBatch> kafka) throws IOException {
        FileBatchCursor cursor = new FileBatchCursor(ch, start, limit);
        int seen = 0;
        int index = 0;
        while (index < kafka.size() && kafka.get(index).position() < start) {
            index++;
        }
        while (cursor.next()) {
            Batches.StoredBatch expected = kafka.get(index + seen);
            assertEquals(expected.position(), cursor.position());
            assertEquals(expected.size(), cursor.sizeInBytes());
            assertEquals(expected.position() + expected.size(), cursor.nextPosition());
            assertEquals(expected.baseOffset(), cursor.baseOffset());
            assertEquals(expected.lastOffset(), cursor.lastOffset());
            assertEquals(expected.maxTimestamp(), cursor.maxTimestamp());
            seen++;
        }
        return seen;
    }

    @Test
    void walksEveryBatchWhereKafkaFindsItAndReadsItWhole() throws IOException {
        List<Batches.StoredBatch> kafka = writeBatches(40);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int length = (int) ch.size();
            assertEquals(40, walk(ch, 0, length, kafka));
            assertEquals(40 - 17, walk(ch, kafka.get(17).position(), length, kafka),
                    "a walk from an indexed position");

            FileBatchCursor cursor = new FileBatchCursor(ch, 0, length);
            for (Batches.StoredBatch expected : kafka) {
                assertTrue(cursor.next());
                RecordBatchView batch = cursor.readBatch();
                assertNotNull(batch);
                batch.ensureValid();
                assertEquals(expected.size(), batch.sizeInBytes());
                assertEquals(expected.baseOffset(), batch.baseOffset());
                assertEquals(expected.lastOffset(), batch.lastOffset());
            }
            assertFalse(cursor.next());
            assertEquals(length, cursor.nextPosition());
        }
    }

    @Test
    void aTornTailEndsTheWalkAtTheLastWholeBatch() throws IOException {
        List<Batches.StoredBatch> kafka = writeBatches(10);
        Batches.StoredBatch last = kafka.get(kafka.size() - 1);
        int wholeEnd = last.position() + last.size();
        ByteBuffer next = Batches.plain(3, 40, "torn", Batches.BASE_TIME);
        next.putLong(RecordBatchView.BASE_OFFSET_OFFSET, last.lastOffset() + 1);
        byte[] full = new byte[next.remaining()];
        next.get(full);
        // Cuts inside the length field, inside the header, just past it, and one byte short of the batch.
        int[] cuts = {1, RecordBatchView.LOG_OVERHEAD - 1, RecordBatchView.LOG_OVERHEAD,
            RecordBatchView.HEADER_SIZE - 1, RecordBatchView.HEADER_SIZE, full.length / 2, full.length - 1};
        for (int cut : cuts) {
            writeBatches(10);
            append(Arrays.copyOf(full, cut));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                assertEquals(wholeEnd + cut, ch.size());
                assertEquals(10, walk(ch, 0, (int) ch.size(), kafka), "tail cut after " + cut + " bytes");
                FileBatchCursor cursor = new FileBatchCursor(ch, 0, (int) ch.size());
                while (cursor.next()) {
                    assertTrue(cursor.position() <= last.position());
                }
                assertEquals(last.position(), cursor.position(), "the cursor stays on the last whole batch");
                assertEquals(wholeEnd, cursor.nextPosition());
                assertFalse(cursor.next());
            }
        }
        writeBatches(10);
        append(new byte[500]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEquals(10, walk(ch, 0, (int) ch.size(), kafka), "the zeros of a preallocated file");
        }
    }

    @Test
    void aCorruptSizeFieldEndsTheWalkBeforeThatBatch() throws IOException {
        List<Batches.StoredBatch> kafka = writeBatches(12);
        Batches.StoredBatch victim = kafka.get(7);
        int fileLength = kafka.get(11).position() + kafka.get(11).size();
        int pastTheEnd = fileLength - victim.position() - RecordBatchView.LOG_OVERHEAD + 1;
        for (int length : new int[] {-5, 0, RecordBatchView.HEADER_SIZE - RecordBatchView.LOG_OVERHEAD - 1,
            pastTheEnd, Integer.MAX_VALUE - 5, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            writeBatches(12);
            overwriteInt(victim.position() + RecordBatchView.BATCH_LENGTH_OFFSET, length);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                assertEquals(7, walk(ch, 0, (int) ch.size(), kafka), "batch length " + length);
                FileBatchCursor cursor = new FileBatchCursor(ch, 0, (int) ch.size());
                while (cursor.next()) {
                    assertNotNull(cursor.readBatch());
                }
                assertEquals(victim.position(), cursor.nextPosition(), "batch length " + length);
            }
        }
    }

    @Test
    void aSizeFieldThatStillFramesIsTrustedUntilTheCallerChecksTheCrc() throws IOException {
        List<Batches.StoredBatch> kafka = writeBatches(6);
        Batches.StoredBatch victim = kafka.get(2);
        overwriteInt(victim.position() + RecordBatchView.BATCH_LENGTH_OFFSET,
                victim.size() - RecordBatchView.LOG_OVERHEAD - 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileBatchCursor cursor = new FileBatchCursor(ch, victim.position(), (int) ch.size());
            assertTrue(cursor.next());
            assertEquals(victim.size() - 10, cursor.sizeInBytes());
            assertFalse(cursor.readBatch().isValid());
        }
    }

    @Test
    void theLimitHidesBytesNotYetPublished() throws IOException {
        List<Batches.StoredBatch> kafka = writeBatches(10);
        Batches.StoredBatch sixth = kafka.get(5);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEquals(5, walk(ch, 0, sixth.position(), kafka), "a limit at a batch boundary");
            assertEquals(5, walk(ch, 0, sixth.position() + sixth.size() - 1, kafka), "a limit inside a batch");
            assertEquals(6, walk(ch, 0, sixth.position() + sixth.size(), kafka));
            assertEquals(0, walk(ch, sixth.position(), sixth.position(), kafka), "an empty region");
        }
    }

    @Test
    void moveToJumpsToABatchStartAndOtherwiseStaysPut() throws IOException {
        List<Batches.StoredBatch> kafka = writeBatches(10);
        Batches.StoredBatch last = kafka.get(9);
        int limit = last.position() + last.size();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileBatchCursor cursor = new FileBatchCursor(ch, 0, limit);
            assertTrue(cursor.next());
            assertTrue(cursor.moveTo(kafka.get(6).position()));
            assertEquals(kafka.get(6).baseOffset(), cursor.baseOffset());
            assertFalse(cursor.moveTo(limit), "no batch starts at the limit");
            assertFalse(cursor.moveTo(last.position() + last.size() - RecordBatchView.HEADER_SIZE + 1),
                    "no header fits there");
            assertEquals(kafka.get(6).position(), cursor.position());
            assertEquals(kafka.get(6).lastOffset(), cursor.lastOffset());
            assertTrue(cursor.next());
            assertEquals(kafka.get(7).baseOffset(), cursor.baseOffset());
        }
    }
}
