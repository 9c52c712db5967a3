package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The follower fetchers of this broker: {@code num.replica.fetchers} threads per leader broker,
 * a partition always on the same one (by its hash), all sharing one network client.
 *
 * <p>Thread safety: synchronized; called by the thread applying LeaderAndIsr and at shutdown.
 */
final class ReplicaFetcherManager implements AutoCloseable {

    /** A fetcher thread's key: the leader it fetches from and its index among that leader's threads. */
    private record FetcherId(int leaderId, int index) {
    }

    private final int nodeId;
    private final ReplicationSettings settings;
    private final ReplicaCluster cluster;
    private final NetworkClient client;
    private final Map<FetcherId, ReplicaFetcherThread> fetchers = new HashMap<>();
    private final Map<TopicPartition, FetcherId> assignments = new HashMap<>();

    ReplicaFetcherManager(int nodeId, ReplicationSettings settings, ReplicaCluster cluster) {
        this.nodeId = nodeId;
        this.settings = settings;
        this.cluster = cluster;
        this.client = new NetworkClient(NetworkClientConfig.defaults("fjord-replica-fetcher-" + nodeId)
                .withRequestTimeoutMs(settings.socketTimeoutMs() + settings.fetchWaitMaxMs())
                .withReconnectBackoffMs(50, 1000));
    }

    /** Starts (or restarts) fetching {@code tp} from {@code leaderId} at {@code leaderEpoch}. */
    synchronized void addFetcher(TopicPartition tp, UUID topicId, int leaderId, int leaderEpoch, Partition partition) {
        removeFetcher(tp);
        ReplicaCluster.BrokerEndpoint endpoint = cluster.endpoint(leaderId);
        if (endpoint != null) {
            client.setNode(leaderId, endpoint.host(), endpoint.port());
        }
        FetcherId id = new FetcherId(leaderId, Math.floorMod(tp.hashCode(), settings.numReplicaFetchers()));
        ReplicaFetcherThread thread = fetchers.computeIfAbsent(id, k -> {
            ReplicaFetcherThread t = new ReplicaFetcherThread("fjord-replica-fetcher-" + k.index() + "-source-"
                    + k.leaderId(), nodeId, k.leaderId(), client, settings, cluster);
            t.start();
            return t;
        });
        thread.addPartition(tp, topicId, leaderEpoch, partition);
        assignments.put(tp, id);
    }

    /** Stops fetching {@code tp}; once this returns no fetcher touches its log. */
    synchronized void removeFetcher(TopicPartition tp) {
        FetcherId id = assignments.remove(tp);
        if (id == null) {
            return;
        }
        ReplicaFetcherThread thread = fetchers.get(id);
        if (thread != null) {
            thread.removePartition(tp);
            if (thread.partitionCount() == 0) {
                fetchers.remove(id);
                thread.shutdown();
            }
        }
    }

    /** The leader {@code tp} is fetched from, or -1. */
    synchronized int leaderOf(TopicPartition tp) {
        FetcherId id = assignments.get(tp);
        return id == null ? -1 : id.leaderId();
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcherThread::shutdown);
        for (ReplicaFetcherThread t : fetchers.values()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        fetchers.clear();
        assignments.clear();
        client.close(Duration.ofSeconds(5));
    }
}
