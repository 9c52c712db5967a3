package io.fjord.cluster.controller;

import io.fjord.cluster.state.PartitionState;
import io.fjord.common.errors.Errors;

import java.util.List;
import java.util.Map;

/**
 * The answer to one partition of an AlterPartition request: an error, or the partition's state
 * after the change (which the leader then adopts).
 */
public record AlterPartitionResult(Errors error, PartitionState state) {

    /**
     * What the leader asks for: its leader epoch and the partition epoch it knows, and the new ISR.
     *
     * @param recovering the leader recovery state it proposes (true: still recovering)
     * @param memberEpochs the broker epoch of each member as the leader saw it (AlterPartition v3,
     *     KIP-903); members it does not know are absent
     */
    public record Proposal(int leaderEpoch, int partitionEpoch, List<Integer> newIsr, boolean recovering,
                           Map<Integer, Long> memberEpochs) {

        public Proposal {
            newIsr = List.copyOf(newIsr);
            memberEpochs = Map.copyOf(memberEpochs);
        }

        /** A proposal without member epochs (AlterPartition v2). */
        public Proposal(int leaderEpoch, int partitionEpoch, List<Integer> newIsr, boolean recovering) {
            this(leaderEpoch, partitionEpoch, newIsr, recovering, Map.of());
        }
    }

    static AlterPartitionResult error(Errors e) {
        return new AlterPartitionResult(e, null);
    }
}
