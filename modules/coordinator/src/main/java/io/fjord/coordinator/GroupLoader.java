package io.fjord.coordinator;

import io.fjord.coordinator.store.CoordinatorRecords;
import io.fjord.log.FileSlice;
import io.fjord.log.PartitionLog;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.record.RecordBatchIterator;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import io.fjord.replication.Partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads one partition of {@code __consumer_offsets} from its log start to its high watermark and
 * hands each record, decoded, to the replay, in log order. Reads at most {@code
 * offsets.load.buffer.size} bytes at a time (more only for a single larger batch). A record that
 * does not decode is skipped and reported, so one bad record costs one key, not the partition.
 */
final class GroupLoader {

    private static final System.Logger LOG = System.getLogger(GroupLoader.class.getName());

    private final Partition partition;
    private final int readSize;

    /** @param partition the offsets partition, or null when this broker does not lead it */
    GroupLoader(Partition partition, int readSize) {
        this.partition = partition;
        this.readSize = readSize;
    }

    void load(Consumer<CoordinatorRecords.Decoded> replay) throws IOException {
        if (partition == null) {
            return;
        }
        PartitionLog log = partition.log();
        long end = partition.highWatermark();
        long offset = log.logStartOffset();
        int skipped = 0;
        while (offset < end) {
            FileSlice slice = log.read(offset, readSize, end, true);
            if (slice.isEmpty()) {
                break;
            }
            ByteBuffer bytes = slice.readAll();
            RecordBatchIterator batches = new RecordBatchIterator(bytes);
            while (batches.hasNext()) {
                RecordBatchView batch = batches.next();
                if (batch.isControlBatch()) {
                    continue;
                }
                try {
                    RecordCursor records = batch.records();
                    while (records.next()) {
                        if (!replayOne(records, replay)) {
                            skipped++;
                        }
                    }
                } catch (ProtocolException e) {
                    skipped++;
                    LOG.log(System.Logger.Level.WARNING, "Skipping a batch of " + partition.topicPartition() + " at offset "
                            + batch.baseOffset() + ": " + e.getMessage());
                }
            }
            offset = slice.nextOffset();
        }
        if (skipped > 0) {
            LOG.log(System.Logger.Level.WARNING, "Skipped " + skipped + " undecodable records or batches while loading "
                    + partition.topicPartition());
        }
    }

    /** Replays one record; false when it does not decode. */
    private static boolean replayOne(RecordCursor record, Consumer<CoordinatorRecords.Decoded> replay) {
        ByteBuffer key = record.key();
        if (key == null) {
            return false;
        }
        CoordinatorRecords.Decoded decoded;
        try {
            decoded = CoordinatorRecords.decode(key, record.value());
        } catch (ProtocolException e) {
            return false;
        }
        // Null: a record type of KIP-848 consumer groups or share groups, which are not kept.
        if (decoded != null) {
            replay.accept(decoded);
        }
        return true;
    }
}
