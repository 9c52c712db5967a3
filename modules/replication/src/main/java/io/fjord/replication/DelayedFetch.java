package io.fjord.replication;

import io.fjord.timer.DelayedOperation;

import java.util.List;
import java.util.function.Consumer;

/**
 * A consumer fetch that found fewer than {@code fetch.min.bytes}: parked in the fetch purgatory
 * under each of its partitions, tried again when one of them gets new data (the replica manager
 * checks the partition after every append), and answered with whatever is there when
 * {@code fetch.max.wait.ms} runs out. The response is read from the logs at completion, so it
 * holds everything appended meanwhile.
 */
final class DelayedFetch extends DelayedOperation {

    private final ReplicaManager replicaManager;
    private final FetchParams params;
    private final List<FetchPartitionRequest> partitions;
    private final Consumer<List<FetchPartitionResult>> responseCallback;

    DelayedFetch(ReplicaManager replicaManager, FetchParams params, List<FetchPartitionRequest> partitions,
            Consumer<List<FetchPartitionResult>> responseCallback) {
        super(params.maxWaitMs());
        this.replicaManager = replicaManager;
        this.params = params;
        this.partitions = partitions;
        this.responseCallback = responseCallback;
    }

    List<FetchPartitionRequest> partitions() {
        return partitions;
    }

    @Override
    protected boolean tryComplete() {
        if (replicaManager.enoughToAnswer(params, partitions)) {
            return forceComplete();
        }
        return false;
    }

    @Override
    protected void onExpiration() {
        // Nothing to record: the response is read at completion either way.
    }

    @Override
    protected void onComplete() {
        responseCallback.accept(replicaManager.readFromLocalLogs(params, partitions));
    }
}
