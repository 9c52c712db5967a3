package io.fjord.cluster.controller;

import io.fjord.cluster.state.PartitionState;
import io.fjord.common.errors.Errors;

import java.util.List;

/**
 * The answer to one partition of an AlterPartition request: an error, or the partition's state
 * after the change (which the leader then adopts).
 */
public record AlterPartitionResult(Errors error, PartitionState state) {

    /**
     * What the leader asks for: its leader epoch and the partition epoch it knows, and the new ISR.
     *
     * @param recovering the leader recovery state it proposes (true: still recovering)
     */
    public record Proposal(int leaderEpoch, int partitionEpoch, List<Integer> newIsr, boolean recovering) {

        public Proposal {
            newIsr = List.copyOf(newIsr);
        }
    }

    static AlterPartitionResult error(Errors e) {
        return new AlterPartitionResult(e, null);
    }
}
