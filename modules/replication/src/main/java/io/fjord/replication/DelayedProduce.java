package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.timer.DelayedOperation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A produce with acks=all waiting until the high watermark of every appended partition has
 * passed its last offset, i.e. every in-sync replica has the batches. With one node the high
 * watermark moves with the append, so it completes on its first try; with followers it is woken
 * when their fetches move the high watermark. Each partition's answer is Kafka's: NONE, or
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below the minimum meanwhile,
 * NOT_LEADER_OR_FOLLOWER after a leadership loss, REQUEST_TIMED_OUT on expiry.
 */
final class DelayedProduce extends DelayedOperation {

    private final ReplicaManager replicaManager;
    private final Map<TopicPartition, ProducePartitionResult> results;
    private final Consumer<Map<TopicPartition, ProducePartitionResult>> responseCallback;

    DelayedProduce(long timeoutMs, ReplicaManager replicaManager, Map<TopicPartition, ProducePartitionResult> results,
            Consumer<Map<TopicPartition, ProducePartitionResult>> responseCallback) {
        super(timeoutMs);
        this.replicaManager = replicaManager;
        this.results = results;
        this.responseCallback = responseCallback;
    }

    @Override
    protected boolean tryComplete() {
        for (Map.Entry<TopicPartition, ProducePartitionResult> e : results.entrySet()) {
            if (!replicated(e.getKey(), e.getValue())) {
                return false;
            }
        }
        return forceComplete();
    }

    private boolean replicated(TopicPartition tp, ProducePartitionResult result) {
        return outcome(tp, result) != null;
    }

    /** The partition's answer once decided, or null while it waits for replication. */
    private Errors outcome(TopicPartition tp, ProducePartitionResult result) {
        if (result.error() != Errors.NONE) {
            return result.error();
        }
        Partition partition = replicaManager.partition(tp);
        // A partition deleted meanwhile has nothing left to wait for; its answer stays the append's.
        return partition == null ? Errors.NONE : partition.acksAllOutcome(result.lastOffset());
    }

    @Override
    protected void onExpiration() {
        // Completion below decides per partition; nothing else to record.
    }

    @Override
    protected void onComplete() {
        Map<TopicPartition, ProducePartitionResult> answer = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, ProducePartitionResult> e : results.entrySet()) {
            ProducePartitionResult r = e.getValue();
            Errors outcome = outcome(e.getKey(), r);
            if (outcome == null) {
                answer.put(e.getKey(), ProducePartitionResult.error(Errors.REQUEST_TIMED_OUT, "Not replicated in time"));
            } else if (outcome != r.error()) {
                answer.put(e.getKey(), ProducePartitionResult.error(outcome, outcome == Errors.NOT_LEADER_OR_FOLLOWER
                        ? "Leadership moved before the records were replicated"
                        : "The in-sync replicas fell below min.insync.replicas before the records were replicated"));
            } else {
                answer.put(e.getKey(), r);
            }
        }
        responseCallback.accept(answer);
    }
}
