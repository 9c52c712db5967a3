package io.fjord.replication;

import io.fjord.api.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a leader sends its ISR changes: AlterPartition to the controller in a cluster. A single
 * broker never changes an ISR of one.
 *
 * <p>Contract: {@code onDone} runs exactly once, on another thread than the caller's and never
 * inside {@link #submit}: the partition calls {@code submit} under its leadership lock and takes
 * that lock again to apply the answer.
 */
public interface AlterPartitionSender {

    /** For a broker with no controller to ask: every proposal is refused at once (on a new thread). */
    AlterPartitionSender NONE = (tp, leaderEpoch, partitionEpoch, isr, memberEpochs, onDone) -> {
        Thread answer = new Thread(() -> onDone.accept(AlterPartitionOutcome.failed(
                io.fjord.common.errors.Errors.NOT_CONTROLLER)), "fjord-alter-partition-refused");
        answer.setDaemon(true);
        answer.start();
    };

    /**
     * @param memberEpochs the broker epoch each proposed member fetched with (KIP-903), so the
     *     controller refuses a member whose registration has changed since; absent when unknown
     */
    void submit(TopicPartition tp, int leaderEpoch, int partitionEpoch, List<Integer> proposedIsr,
                Map<Integer, Long> memberEpochs, Consumer<AlterPartitionOutcome> onDone);
}
