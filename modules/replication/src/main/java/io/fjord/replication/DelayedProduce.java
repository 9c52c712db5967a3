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
 * watermark moves with the append, so it completes on its first try; with followers it would be
 * woken by their fetches. On expiry the partitions still behind answer REQUEST_TIMED_OUT.
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
        if (result.error() != Errors.NONE) {
            return true;
        }
        Partition partition = replicaManager.partition(tp);
        // A partition deleted meanwhile has nothing left to wait for; its answer stays the append's.
        return partition == null || partition.highWatermark() > result.lastOffset();
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
            answer.put(e.getKey(), replicated(e.getKey(), r) ? r
                    : ProducePartitionResult.error(Errors.REQUEST_TIMED_OUT, "Not replicated in time"));
        }
        responseCallback.accept(answer);
    }
}
