package io.fjord.cluster;

import io.fjord.cluster.state.PartitionState;

import java.util.List;
import java.util.UUID;

/**
 * One partition's assignment and leadership as the controller tells it to brokers (the partition
 * entries of LeaderAndIsr and UpdateMetadata).
 *
 * @param topic     the topic
 * @param topicId   the topic's id
 * @param partition the partition index
 * @param state     leader, leader epoch, ISR and partition epoch; a leader of
 *                  {@link #LEADER_DURING_DELETE} in a metadata update means the partition is gone
 * @param replicas  the assigned replicas (during a reassignment, old and target together)
 * @param adding    replicas being added by a reassignment
 * @param removing  replicas being removed by a reassignment
 * @param isNew     whether the partition was just created (its replicas may create the log)
 */
public record PartitionLeadership(String topic, UUID topicId, int partition, PartitionState state,
                                  List<Integer> replicas, List<Integer> adding, List<Integer> removing,
                                  boolean isNew) {

    /** Kafka's leader id for a partition being deleted, in UpdateMetadata. */
    public static final int LEADER_DURING_DELETE = -2;

    public PartitionLeadership {
        replicas = List.copyOf(replicas);
        adding = List.copyOf(adding);
        removing = List.copyOf(removing);
    }

    public boolean deleted() {
        return state.leader() == LEADER_DURING_DELETE;
    }
}
