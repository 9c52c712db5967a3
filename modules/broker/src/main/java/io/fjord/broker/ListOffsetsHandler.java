package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.log.LogException;
import io.fjord.log.PartitionLog;
import io.fjord.log.TimestampOffset;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ListOffsetsRequest;
import io.fjord.protocol.message.ListOffsetsResponse;
import io.fjord.replication.Partition;

/**
 * ListOffsets (versions 1 to 10). Special timestamps: -2 (earliest) answers the log start offset
 * and -1 (latest) the high watermark, both with timestamp -1; -3 (max timestamp, version 7) the
 * first record carrying the largest timestamp; -4 (earliest local, version 8) the log start offset,
 * since every segment is local; -5 (latest tiered, version 9) offset -1, since nothing is tiered.
 * A real timestamp answers the first record at or after it, or offset and timestamp -1 when there
 * is none. Any other negative value is an INVALID_REQUEST.
 *
 * <p>A client's current leader epoch (version 4) is checked as Kafka checks it: older than the
 * partition's is FENCED_LEADER_EPOCH, newer is UNKNOWN_LEADER_EPOCH. The answer carries the leader
 * epoch too.
 */
final class ListOffsetsHandler implements ApiFamily {

    static final long EARLIEST_LOCAL_TIMESTAMP = -4L;
    static final long LATEST_TIERED_TIMESTAMP = -5L;
    private static final int NO_EPOCH = -1;

    private final PartitionLookup partitions;

    ListOffsetsHandler(PartitionLookup partitions) {
        this.partitions = partitions;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.LIST_OFFSETS, ListOffsetsRequest.class, this::handle);
    }

    void handle(NetworkRequest request, ListOffsetsRequest body) {
        ListOffsetsResponse response = new ListOffsetsResponse();
        for (ListOffsetsRequest.ListOffsetsTopic topic : body.topics()) {
            ListOffsetsResponse.ListOffsetsTopicResponse rt = new ListOffsetsResponse.ListOffsetsTopicResponse()
                    .setName(topic.name());
            response.topics().add(rt);
            for (ListOffsetsRequest.ListOffsetsPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                Partition partition = partitions.partitionFor(tp);
                rt.partitions().add(partition == null
                        ? new ListOffsetsResponse.ListOffsetsPartitionResponse().setTimestamp(-1L).setOffset(-1L)
                                .setErrorCode(partitions.notServedError(tp).code()).setPartitionIndex(p.partitionIndex())
                        : lookUp(partition, p).setPartitionIndex(p.partitionIndex()));
            }
        }
        Responses.send(request, response);
    }

    private static ListOffsetsResponse.ListOffsetsPartitionResponse lookUp(Partition partition,
            ListOffsetsRequest.ListOffsetsPartition p) {
        ListOffsetsResponse.ListOffsetsPartitionResponse rp = new ListOffsetsResponse.ListOffsetsPartitionResponse()
                .setTimestamp(-1L).setOffset(-1L);
        if (partition == null) {
            return rp.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        int leaderEpoch = partition.leaderEpoch();
        if (p.currentLeaderEpoch() != NO_EPOCH && p.currentLeaderEpoch() != leaderEpoch) {
            Errors fenced = p.currentLeaderEpoch() < leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
            return rp.setErrorCode(fenced.code());
        }
        long timestamp = p.timestamp();
        if (timestamp == PartitionLog.EARLIEST_TIMESTAMP || timestamp == EARLIEST_LOCAL_TIMESTAMP) {
            return rp.setOffset(partition.logStartOffset()).setLeaderEpoch(leaderEpoch);
        }
        if (timestamp == PartitionLog.LATEST_TIMESTAMP) {
            return rp.setOffset(partition.highWatermark()).setLeaderEpoch(leaderEpoch);
        }
        if (timestamp == LATEST_TIERED_TIMESTAMP) {
            return rp;
        }
        if (timestamp < 0 && timestamp != PartitionLog.MAX_TIMESTAMP) {
            return rp.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        try {
            TimestampOffset found = partition.log().offsetForTimestamp(timestamp);
            if (found != null && found.offset() < partition.highWatermark()) {
                rp.setTimestamp(found.timestamp()).setOffset(found.offset()).setLeaderEpoch(leaderEpoch);
            }
        } catch (LogException e) {
            return rp.setErrorCode(e.error().code());
        }
        return rp;
    }
}
