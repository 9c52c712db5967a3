package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.ClusterMember;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.controller.BrokerNode;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.TopicImage;
import io.fjord.replication.AlterPartitionOutcome;
import io.fjord.replication.AlterPartitionSender;
import io.fjord.replication.ReplicaCluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Replication's view of the cluster, from the cluster member: brokers' endpoints and liveness from
 * the metadata cache, this broker's epoch from its registration, and ISR changes sent to the
 * active controller as AlterPartition. Answers are handed to the partition on a thread of their
 * own, never inside {@code submit}, as {@link AlterPartitionSender} requires.
 */
final class ClusterReplicaLinks implements ReplicaCluster, AlterPartitionSender, AutoCloseable {

    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fjord-alter-partition");
        t.setDaemon(true);
        return t;
    });
    private volatile ClusterMember member;

    void bind(ClusterMember member) {
        this.member = member;
    }

    @Override
    public BrokerEndpoint endpoint(int brokerId) {
        ClusterMember m = member;
        BrokerNode node = m == null ? null : m.cache().image().brokers().get(brokerId);
        return node == null ? null : new BrokerEndpoint(node.id(), node.host(), node.port());
    }

    @Override
    public long brokerEpoch() {
        ClusterMember m = member;
        return m == null ? -1L : m.brokerEpoch();
    }

    @Override
    public boolean isEligible(int brokerId) {
        ClusterMember m = member;
        return m != null && m.cache().image().brokers().containsKey(brokerId);
    }

    @Override
    public AlterPartitionSender alterPartition() {
        return this;
    }

    @Override
    public void submit(TopicPartition tp, int leaderEpoch, int partitionEpoch, List<Integer> proposedIsr,
            Map<Integer, Long> memberEpochs, Consumer<AlterPartitionOutcome> onDone) {
        ClusterMember m = member;
        MetadataImage image = m == null ? null : m.cache().image();
        TopicImage topic = image == null ? null : image.topic(tp.topic());
        if (topic == null || image.controllerId() < 0) {
            Errors error = topic == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NOT_CONTROLLER;
            answers.execute(() -> onDone.accept(AlterPartitionOutcome.failed(error)));
            return;
        }
        m.controllerClient().alterPartition(image.controllerId(), m.id(), m.brokerEpoch(), topic.id(), tp.partition(),
                leaderEpoch, partitionEpoch, proposedIsr, memberEpochs).whenCompleteAsync((state, error) -> {
                    if (error == null) {
                        onDone.accept(new AlterPartitionOutcome(Errors.NONE, state.leaderEpoch(), state.partitionEpoch(),
                                state.isr()));
                    } else {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        onDone.accept(AlterPartitionOutcome.failed(cause instanceof ApiException api ? api.error()
                                : Errors.NETWORK_EXCEPTION));
                    }
                }, (Executor) answers);
    }

    @Override
    public void close() {
        answers.shutdownNow();
    }
}
