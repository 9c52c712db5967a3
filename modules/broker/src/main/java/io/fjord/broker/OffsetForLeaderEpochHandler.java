package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.log.EpochEndOffset;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.OffsetForLeaderEpochRequest;
import io.fjord.protocol.message.OffsetForLeaderEpochResponse;
import io.fjord.replication.Partition;

/**
 * OffsetForLeaderEpoch (versions 2 to 4): for each partition, the largest leader epoch at or below
 * the requested one that the partition's log knows, and the offset where it ended, the current
 * epoch ending at the log end offset (see {@code PartitionLog.endOffsetForEpoch}). An epoch the log
 * does not know is answered with epoch and offset -1 and no error, as Kafka answers it. Advertised
 * from version 3, it makes Kafka's consumer validate its positions after a leader change (KIP-320).
 *
 * <p>A caller's current leader epoch is checked as Kafka checks it: older than the partition's is
 * FENCED_LEADER_EPOCH, newer is UNKNOWN_LEADER_EPOCH, -1 skips the check. A partition the metadata
 * lacks is UNKNOWN_TOPIC_OR_PARTITION. Version 3's ReplicaId tells a follower (its node id) from a
 * consumer (-1) and a debugging client (-2, and every version 2 request); as in Kafka it changes
 * nothing here, since every caller must ask the partition's leader, and this broker leads every
 * partition it has.
 */
final class OffsetForLeaderEpochHandler implements ApiFamily {

    private static final int NO_EPOCH = -1;

    private final PartitionLookup partitions;

    OffsetForLeaderEpochHandler(PartitionLookup partitions) {
        this.partitions = partitions;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.OFFSET_FOR_LEADER_EPOCH, OffsetForLeaderEpochRequest.class, this::handle);
    }

    void handle(NetworkRequest request, OffsetForLeaderEpochRequest body) {
        TopicResponses<OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult, OffsetForLeaderEpochResponse.EpochEndOffset>
                topics = TopicResponses.merged(
                        name -> new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult().setTopic(name),
                        OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult::partitions);
        for (OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic : body.topics()) {
            for (OffsetForLeaderEpochRequest.OffsetForLeaderPartition p : topic.partitions()) {
                Partition partition = partitions.partitionFor(new TopicPartition(topic.topic(), p.partition()));
                topics.add(topic.topic(), lookUp(partition, p).setPartition(p.partition()));
            }
        }
        Responses.send(request, new OffsetForLeaderEpochResponse().setTopics(topics.topics()));
    }

    /** The answer for one partition, null if the metadata lacks it. */
    static OffsetForLeaderEpochResponse.EpochEndOffset lookUp(Partition partition,
            OffsetForLeaderEpochRequest.OffsetForLeaderPartition p) {
        OffsetForLeaderEpochResponse.EpochEndOffset answer = new OffsetForLeaderEpochResponse.EpochEndOffset();
        if (partition == null) {
            return answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        int leaderEpoch = partition.leaderEpoch();
        if (p.currentLeaderEpoch() != NO_EPOCH && p.currentLeaderEpoch() != leaderEpoch) {
            Errors fenced = p.currentLeaderEpoch() < leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
            return answer.setErrorCode(fenced.code());
        }
        EpochEndOffset end = partition.log().endOffsetForEpoch(p.leaderEpoch(), leaderEpoch);
        return end == null ? answer : answer.setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
    }
}
