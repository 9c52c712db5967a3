package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.store.CoordinatorRecords;
import io.fjord.coordinator.store.GroupMetadataValue;
import io.fjord.log.FileSlice;
import io.fjord.log.PartitionLog;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.record.RecordBatchIterator;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import io.fjord.replication.Partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays one partition of {@code __consumer_offsets} from its log start to its high watermark:
 * the last value of each key wins and a tombstone removes it. Reads at most {@code
 * offsets.load.buffer.size} bytes at a time (more only for a single larger batch). A record that
 * does not decode is skipped and reported, so one bad record costs one key, not the partition.
 */
final class GroupLoader {

    private static final System.Logger LOG = System.getLogger(GroupLoader.class.getName());

    /** The replayed state of one group. */
    static final class LoadedGroup {
        final String groupId;
        GroupMetadataValue metadata;
        final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();

        LoadedGroup(String groupId) {
            this.groupId = groupId;
        }
    }

    private final Partition partition;
    private final int readSize;

    /** @param partition the offsets partition, or null when this broker does not lead it */
    GroupLoader(Partition partition, int readSize) {
        this.partition = partition;
        this.readSize = readSize;
    }

    Map<String, LoadedGroup> load() throws IOException {
        Map<String, LoadedGroup> groups = new LinkedHashMap<>();
        if (partition == null) {
            return groups;
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
                        if (!apply(groups, records)) {
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
        return groups;
    }

    private static boolean apply(Map<String, LoadedGroup> groups, RecordCursor record) {
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
        if (decoded == null) {
            return true;
        }
        LoadedGroup group = groups.computeIfAbsent(decoded.groupId(), LoadedGroup::new);
        if (decoded instanceof CoordinatorRecords.OffsetCommit commit) {
            if (commit.offset() == null) {
                group.offsets.remove(commit.partition());
            } else {
                group.offsets.put(commit.partition(), commit.offset());
            }
        } else if (decoded instanceof CoordinatorRecords.GroupMetadata metadata) {
            group.metadata = metadata.value();
        }
        return true;
    }
}
