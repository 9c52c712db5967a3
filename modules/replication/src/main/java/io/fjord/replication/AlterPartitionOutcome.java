package io.fjord.replication;

import java.util.List;

/**
 * The controller's answer to one partition of an AlterPartition.
 *
 * @param error NONE when the proposed ISR was committed
 * @param leaderEpoch the partition's leader epoch as the controller has it, or -1 on error
 * @param partitionEpoch the partition state's new version, or -1 on error
 * @param isr the committed ISR, empty on error
 */
public record AlterPartitionOutcome(io.fjord.common.errors.Errors error, int leaderEpoch, int partitionEpoch,
                                   List<Integer> isr) {

    public AlterPartitionOutcome {
        isr = List.copyOf(isr);
    }

    public static AlterPartitionOutcome failed(io.fjord.common.errors.Errors error) {
        return new AlterPartitionOutcome(error, -1, -1, List.of());
    }
}
