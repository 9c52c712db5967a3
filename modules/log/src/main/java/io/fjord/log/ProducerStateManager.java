package io.fjord.log;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.RecordBatchView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The idempotent-producer state of one partition and its {@code .snapshot} files.
 *
 * <p>Checks, for each batch of an idempotent producer, what Kafka's {@code ProducerAppendInfo}
 * checks: a stale epoch is {@link Errors#INVALID_PRODUCER_EPOCH}; a batch equal to one of the
 * last five is a duplicate answered with its original offsets; otherwise the base sequence must
 * follow the last one (0 after {@code Integer.MAX_VALUE}), or be 0 for a new epoch, else
 * {@link Errors#OUT_OF_ORDER_SEQUENCE_NUMBER}. An unknown producer may start at any sequence.
 *
 * <p>Snapshot file {@code <20-digit offset>.snapshot}, Kafka's version 1 layout, big-endian:
 * {@code version INT16 (1) | crc UINT32 | count INT32 | count x entry}, where an entry is
 * {@code producer_id INT64 | epoch INT16 | last_sequence INT32 | last_offset INT64 |
 * offset_delta INT32 | timestamp INT64 | coordinator_epoch INT32 | current_txn_first_offset INT64}
 * (46 bytes) and the CRC-32C covers everything after the crc field. Like Kafka, a snapshot keeps
 * only the newest batch of each producer; the offset in the name is the log end offset the
 * state is valid at. Mutated only under the partition's append lock.
 */
final class ProducerStateManager {

    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final short SNAPSHOT_VERSION = 1;
    private static final int HEADER_SIZE = 2 + 4 + 4;
    private static final int ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** The offset up to which the state reflects the log. */
    private long mapEndOffset;

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    long mapEndOffset() {
        return mapEndOffset;
    }

    /** The current state of a producer, or null; for inspection and tests. */
    ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    /** The last offset of each producer's newest batch, by producer id: batches the cleaner must keep. */
    Map<Long, Long> lastOffsets() {
        Map<Long, Long> last = new HashMap<>(producers.size() * 2);
        for (ProducerStateEntry entry : producers.values()) {
            List<BatchMetadata> batches = entry.batches();
            if (!batches.isEmpty()) {
                last.put(entry.producerId(), batches.get(batches.size() - 1).lastOffset());
            }
        }
        return last;
    }

    /** The changes of one append, applied by {@link #commit} only once the bytes are on disk. */
    final class Staging {
        private final Map<Long, ProducerStateEntry> staged = new HashMap<>(4);

        /**
         * Checks a client batch that will get offsets {@code [firstOffset, lastOffset]} and stages
         * its state change.
         *
         * @return the original batch if this one is a retry of it (nothing is staged), else null
         * @throws LogException with {@link Errors#INVALID_PRODUCER_EPOCH} or
         *     {@link Errors#OUT_OF_ORDER_SEQUENCE_NUMBER}
         */
        BatchMetadata checkAndStage(RecordBatchView batch, long firstOffset, long lastOffset) {
            long producerId = batch.producerId();
            if (producerId < 0) {
                return null;
            }
            short epoch = batch.producerEpoch();
            int firstSeq = batch.baseSequence();
            int lastSeq = batch.lastSequence();
            ProducerStateEntry current = staged.get(producerId);
            if (current == null) {
                current = producers.get(producerId);
            }
            if (current != null) {
                if (epoch < current.producerEpoch()) {
                    throw new LogException(Errors.INVALID_PRODUCER_EPOCH, "Epoch " + epoch + " of producer "
                            + producerId + " is older than the current epoch " + current.producerEpoch());
                }
                if (epoch == current.producerEpoch()) {
                    BatchMetadata duplicate = current.findBatch(firstSeq, lastSeq);
                    if (duplicate != null) {
                        return duplicate;
                    }
                }
                checkSequence(producerId, current, epoch, firstSeq);
            }
            if (firstSeq < 0) {
                throw new LogException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId
                        + " sent a batch without a sequence number");
            }
            ProducerStateEntry next = current == null ? new ProducerStateEntry(producerId, epoch) : current.copy();
            next.addBatch(epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, batch.maxTimestamp()));
            staged.put(producerId, next);
            return null;
        }
    }

    private static void checkSequence(long producerId, ProducerStateEntry current, short epoch, int firstSeq) {
        if (epoch != current.producerEpoch()) {
            if (firstSeq != 0) {
                throw new LogException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId
                        + " started epoch " + epoch + " at sequence " + firstSeq + " instead of 0");
            }
            return;
        }
        int lastSeq = current.lastSeq();
        boolean inSequence = lastSeq < 0 ? firstSeq == 0
                : firstSeq == lastSeq + 1 || (firstSeq == 0 && lastSeq == Integer.MAX_VALUE);
        if (!inSequence) {
            throw new LogException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId
                    + " sent sequence " + firstSeq + " after " + lastSeq);
        }
    }

    Staging begin() {
        return new Staging();
    }

    /** Applies staged changes after their batches were written; the state now ends at {@code endOffset}. */
    void commit(Staging staging, long endOffset) {
        producers.putAll(staging.staged);
        mapEndOffset = endOffset;
    }

    /** Applies a batch read back from the log, without checks (load and recovery). */
    void replay(RecordBatchView batch) {
        long producerId = batch.producerId();
        if (producerId >= 0 && batch.baseSequence() >= 0) {
            ProducerStateEntry entry = producers.computeIfAbsent(producerId,
                    id -> new ProducerStateEntry(id, batch.producerEpoch()));
            entry.addBatch(batch.producerEpoch(), new BatchMetadata(batch.baseSequence(), batch.lastSequence(),
                    batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp()));
        }
        mapEndOffset = batch.lastOffset() + 1;
    }

    /**
     * Forgets producers whose last batch is at least {@code expirationMs} older than
     * {@code nowMs} (Kafka's {@code producer.id.expiration.ms}); their next batch starts them afresh.
     *
     * @return how many were forgotten
     */
    int removeExpired(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(e -> nowMs - e.lastTimestamp() >= expirationMs);
        return before - producers.size();
    }

    /** Forgets everything; the state then starts at {@code offset}. */
    void truncateFullyAndStartAt(long offset) {
        producers.clear();
        mapEndOffset = offset;
    }

    // ---- snapshots

    static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(LogSegment.fileName(offset, SNAPSHOT_SUFFIX));
    }

    /**
     * Writes the state as a snapshot at {@link #mapEndOffset}, renamed into place whole; returns
     * its file. With {@code durable} the file and its name are fsynced before the return.
     * Without, as on Kafka's roll, a crash may lose or tear the file, which a load notices by its
     * CRC and answers with an older snapshot and more of the log replayed.
     */
    Path takeSnapshot(boolean durable) throws IOException {
        Path file = snapshotFile(dir, mapEndOffset);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + producers.size() * ENTRY_SIZE);
        buffer.putShort(SNAPSHOT_VERSION).putInt(0).putInt(producers.size());
        for (ProducerStateEntry e : producers.values()) {
            List<BatchMetadata> batches = e.batches();
            BatchMetadata last = batches.isEmpty() ? null : batches.get(batches.size() - 1);
            buffer.putLong(e.producerId()).putShort(e.producerEpoch())
                    .putInt(last == null ? -1 : last.lastSeq())
                    .putLong(last == null ? -1L : last.lastOffset())
                    .putInt(last == null ? 0 : (int) (last.lastOffset() - last.firstOffset()))
                    .putLong(e.lastTimestamp())
                    .putInt(-1)
                    .putLong(-1L);
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 6, buffer.position() - 6);
        buffer.putInt(2, (int) crc.getValue());
        buffer.flip();
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durable) {
                channel.force(true);
            }
        }
        if (durable) {
            OffsetCheckpointFile.atomicReplace(temp, file);
        } else {
            OffsetCheckpointFile.rename(temp, file);
        }
        return file;
    }

    /** Snapshot files by offset. */
    static TreeMap<Long, Path> listSnapshots(Path dir) throws IOException {
        TreeMap<Long, Path> snapshots = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SNAPSHOT_SUFFIX)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                String digits = name.substring(0, name.length() - SNAPSHOT_SUFFIX.length());
                try {
                    snapshots.put(Long.parseLong(digits), p);
                } catch (NumberFormatException e) {
                    // Not a snapshot of ours: leave it alone.
                }
            }
        }
        return snapshots;
    }

    /**
     * Replaces the state by the newest readable snapshot at or below {@code maxOffset}; deletes
     * snapshots above it and corrupt ones. With none left, the state is empty from {@code fallbackOffset}.
     */
    void loadLatestSnapshot(long maxOffset, long fallbackOffset) throws IOException {
        TreeMap<Long, Path> snapshots = listSnapshots(dir);
        for (Map.Entry<Long, Path> e : snapshots.tailMap(maxOffset, false).entrySet()) {
            Files.deleteIfExists(e.getValue());
        }
        for (Map.Entry<Long, Path> e : snapshots.headMap(maxOffset, true).descendingMap().entrySet()) {
            try {
                List<ProducerStateEntry> entries = readSnapshot(e.getValue());
                producers.clear();
                for (ProducerStateEntry entry : entries) {
                    producers.put(entry.producerId(), entry);
                }
                mapEndOffset = e.getKey();
                return;
            } catch (CorruptSnapshotException corrupt) {
                Files.deleteIfExists(e.getValue());
            }
        }
        truncateFullyAndStartAt(fallbackOffset);
    }

    /**
     * Rebuilds the state for a log that ends at {@code logEndOffset} (load, truncation): the newest
     * snapshot at or below it (those above are deleted), then every batch after it is replayed;
     * without a snapshot the whole log is replayed.
     */
    void rebuild(LogSegments segments, long logStartOffset, long logEndOffset) throws IOException {
        loadLatestSnapshot(logEndOffset, logStartOffset);
        long from = Math.max(mapEndOffset, segments.first().baseOffset());
        for (LogSegment segment : segments.from(from)) {
            segment.forEachBatchFrom(from, this::replay);
        }
        mapEndOffset = logEndOffset;
    }

    /** Deletes every snapshot (the log was emptied). */
    void deleteAllSnapshots() throws IOException {
        for (Path p : listSnapshots(dir).values()) {
            Files.deleteIfExists(p);
        }
    }

    /** Deletes snapshots below {@code offset} except the newest of them, which may still be needed. */
    void deleteSnapshotsBefore(long offset) throws IOException {
        TreeMap<Long, Path> older = new TreeMap<>(listSnapshots(dir).headMap(offset, false));
        if (!older.isEmpty()) {
            older.pollLastEntry();
        }
        for (Path p : older.values()) {
            Files.deleteIfExists(p);
        }
    }

    /** Reads a snapshot file, checking version, size and CRC before trusting any field. */
    static List<ProducerStateEntry> readSnapshot(Path file) throws IOException, CorruptSnapshotException {
        long length = Files.size(file);
        if (length < HEADER_SIZE || length > Integer.MAX_VALUE) {
            throw new CorruptSnapshotException("snapshot " + file + " has an impossible length " + length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        short version = buffer.getShort(0);
        if (version != SNAPSHOT_VERSION) {
            throw new CorruptSnapshotException("snapshot " + file + " has unknown version " + version);
        }
        long stored = buffer.getInt(2) & 0xFFFF_FFFFL;
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 6, buffer.capacity() - 6);
        if (crc.getValue() != stored) {
            throw new CorruptSnapshotException("snapshot " + file + " has a bad CRC");
        }
        int count = buffer.getInt(6);
        if (count < 0 || (long) count * ENTRY_SIZE != buffer.capacity() - HEADER_SIZE) {
            throw new CorruptSnapshotException("snapshot " + file + " claims " + count + " entries");
        }
        List<ProducerStateEntry> entries = new ArrayList<>(count);
        buffer.position(HEADER_SIZE);
        for (int i = 0; i < count; i++) {
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            int lastSeq = buffer.getInt();
            long lastOffset = buffer.getLong();
            int offsetDelta = buffer.getInt();
            long timestamp = buffer.getLong();
            buffer.getInt(); // coordinator epoch: transactions are not supported
            buffer.getLong(); // current transaction's first offset: likewise
            ProducerStateEntry entry = new ProducerStateEntry(producerId, epoch);
            if (lastSeq >= 0 && lastOffset >= 0) {
                int firstSeq = lastSeq - offsetDelta;
                if (firstSeq < 0) {
                    // The batch wrapped past Integer.MAX_VALUE.
                    firstSeq += Integer.MAX_VALUE + 1;
                }
                entry.addBatch(epoch, new BatchMetadata(firstSeq, lastSeq, lastOffset - offsetDelta, lastOffset,
                        timestamp));
            }
            entries.add(entry);
        }
        return entries;
    }

    /** A snapshot file that fails its checks; it is deleted and the state rebuilt from the log. */
    static final class CorruptSnapshotException extends Exception {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
