package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.common.Time;
import io.fjord.log.FileSlice;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.LogException;
import io.fjord.log.LogManager;
import io.fjord.log.PartitionLog;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.timer.Purgatory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The partitions this broker hosts, as leader or follower, and the produce and fetch paths
 * through them.
 *
 * <p>Produce: each partition's records are appended under the acks rules ({@link
 * Partition#appendRecordsToLeader}); every append wakes the delayed fetches watching the
 * partition. acks=all parks a {@link DelayedProduce} until the high watermark passes the
 * appended batches (at once on one node; in a cluster when the followers' fetches move it).
 * Fetch: for a consumer whole batches up to the high watermark, for a follower up to the log end
 * (its fetch moves its state at the leader), read as file slices; below {@code fetch.min.bytes}
 * a {@link DelayedFetch} waits in the purgatory until an append brings enough or the wait runs
 * out. No thread ever waits: callbacks run on the appending thread, the purgatory's reaper or the
 * calling handler thread.
 *
 * <p>In a cluster, a followed partition is fetched by the {@link ReplicaFetcherManager}, and an
 * {@code isr-expiration} task every {@code replica.lag.time.max.ms / 2} lets each led partition
 * drop its lagging followers.
 *
 * <p>Thread safety: every method may be called from any handler thread.
 */
public final class ReplicaManager implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplicaManager.class.getName());

    private final int nodeId;
    private final LogManager logManager;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final Purgatory<TopicPartition, DelayedFetch> fetchPurgatory;
    private final Purgatory<TopicPartition, DelayedProduce> producePurgatory;
    private final Function<TopicPartition, Errors> notHostedError;
    private final ReplicationSettings settings;
    private final ReplicaCluster cluster;
    private final Time time;
    private final ReplicaFetcherManager fetchers;
    private final ScheduledExecutorService isrExpiration;
    private volatile boolean stopParking;

    /** @param nodeId this broker, leader and sole in-sync replica of every partition */
    public ReplicaManager(int nodeId, LogManager logManager) {
        this(nodeId, logManager, tp -> Errors.UNKNOWN_TOPIC_OR_PARTITION, ReplicationSettings.defaults(), null,
                Time.SYSTEM);
    }

    /**
     * @param notHostedError the error for a partition this broker does not host: in a cluster,
     *                       NOT_LEADER_OR_FOLLOWER when the partition exists elsewhere
     * @param cluster        the brokers around this one, or null for a single broker (which
     *                       never follows and never changes an ISR)
     */
    public ReplicaManager(int nodeId, LogManager logManager, Function<TopicPartition, Errors> notHostedError,
            ReplicationSettings settings, ReplicaCluster cluster, Time time) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.notHostedError = notHostedError;
        this.settings = settings;
        this.cluster = cluster;
        this.time = time;
        this.fetchPurgatory = Purgatory.start("Fetch");
        this.producePurgatory = Purgatory.start("Produce");
        if (cluster != null) {
            this.fetchers = new ReplicaFetcherManager(nodeId, settings, cluster);
            this.isrExpiration = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fjord-isr-expiration");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, settings.replicaLagTimeMaxMs() / 2);
            isrExpiration.scheduleAtFixedRate(this::shrinkLaggingIsrs, period, period, TimeUnit.MILLISECONDS);
        } else {
            this.fetchers = null;
            this.isrExpiration = null;
        }
    }

    private Partition newPartition(TopicPartition tp, PartitionLog log, int minInsyncReplicas) {
        return new Partition(tp, log, nodeId, minInsyncReplicas, time, settings,
                cluster != null ? cluster.alterPartition() : AlterPartitionSender.NONE,
                cluster != null ? cluster::isEligible : ReplicaEligibility.ALL, this::onHighWatermarkMoved);
    }

    /** The ISR-expiration task: each led partition drops its followers lagging too long. */
    void shrinkLaggingIsrs() {
        for (Partition p : partitions.values()) {
            try {
                p.maybeShrinkIsr();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ISR check of " + p.topicPartition() + " failed", e);
            }
        }
    }

    /** A leader's high watermark moved: acks=all produces and consumer fetches waiting on it may go. */
    private void onHighWatermarkMoved(TopicPartition tp) {
        producePurgatory.checkAndComplete(tp);
        fetchPurgatory.checkAndComplete(tp);
    }

    /**
     * Makes this node the leader of {@code tp}, opening or creating its log. Idempotent: an
     * existing partition is returned as it is, with {@code minInsyncReplicas} applied.
     */
    public Partition becomeLeader(TopicPartition tp, int leaderEpoch, int minInsyncReplicas) throws IOException {
        Partition existing = partitions.get(tp);
        if (existing != null) {
            existing.updateMinInsyncReplicas(minInsyncReplicas);
            return existing;
        }
        synchronized (partitions) {
            existing = partitions.get(tp);
            if (existing != null) {
                return existing;
            }
            PartitionLog log = logManager.getOrCreateLog(tp);
            Partition partition = new Partition(tp, log, nodeId, leaderEpoch, minInsyncReplicas);
            partitions.put(tp, partition);
            return partition;
        }
    }

    /**
     * Applies a leadership the controller decided: this node becomes leader or follower of
     * {@code tp}, opening or creating its log. A new leader stops fetching first, so no follower
     * append races its first leader append. A new follower answers the fetches and produces
     * parked on the partition now (they get NOT_LEADER_OR_FOLLOWER) and fetches from the leader.
     */
    public Partition applyLeadership(TopicPartition tp, UUID topicId, Leadership leadership, int minInsyncReplicas)
            throws IOException {
        Partition partition;
        synchronized (partitions) {
            partition = partitions.get(tp);
            if (partition == null) {
                partition = newPartition(tp, logManager.getOrCreateLog(tp), minInsyncReplicas);
                partitions.put(tp, partition);
            }
        }
        partition.updateMinInsyncReplicas(minInsyncReplicas);
        if (leadership.leaderId() == nodeId) {
            if (fetchers != null) {
                fetchers.removeFetcher(tp);
            }
            partition.makeLeader(leadership.leaderEpoch(), leadership.partitionEpoch(), leadership.replicas(),
                    leadership.isr());
            onHighWatermarkMoved(tp);
        } else {
            boolean changed = partition.makeFollower(leadership.leaderId(), leadership.leaderEpoch(),
                    leadership.partitionEpoch(), leadership.replicas(), leadership.isr());
            completeParkedFetches(tp);
            for (DelayedProduce produce : producePurgatory.cancelForKey(tp)) {
                produce.forceComplete();
            }
            if (fetchers != null && (changed || fetchers.leaderOf(tp) != leadership.leaderId())) {
                if (leadership.leaderId() >= 0 && topicId != null) {
                    fetchers.addFetcher(tp, topicId, leadership.leaderId(), leadership.leaderEpoch(), partition);
                } else {
                    fetchers.removeFetcher(tp);
                }
            }
        }
        return partition;
    }

    /**
     * A partition's leadership as the controller sent it in LeaderAndIsr.
     *
     * @param leaderId the leader's broker id, or -1 when none is live
     * @param partitionEpoch the version of the partition state, sent back in AlterPartition
     */
    public record Leadership(int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> replicas,
                             List<Integer> isr) {
    }

    /**
     * Stops serving {@code tp} (StopReplica): with {@code delete} its log goes as in {@link
     * #deletePartition}; without, the log stays on disk for a later leadership.
     */
    public void stopReplica(TopicPartition tp, boolean delete) throws IOException {
        if (fetchers != null) {
            fetchers.removeFetcher(tp);
        }
        if (delete) {
            deletePartition(tp);
            return;
        }
        synchronized (partitions) {
            partitions.remove(tp);
        }
        completeParkedFetches(tp);
        for (DelayedProduce produce : producePurgatory.cancelForKey(tp)) {
            produce.forceComplete();
        }
    }

    /**
     * Stops leading {@code tp} and deletes its log: the folder is renamed at once and its files
     * removed later by the log manager's scheduler. Parked fetches on it are answered now.
     */
    public void deletePartition(TopicPartition tp) throws IOException {
        if (fetchers != null) {
            fetchers.removeFetcher(tp);
        }
        Partition removed;
        synchronized (partitions) {
            removed = partitions.remove(tp);
        }
        if (removed != null) {
            logManager.deleteLog(tp);
        }
        completeParkedFetches(tp);
    }

    /** The partition, or null if this node does not lead it. */
    public Partition partition(TopicPartition tp) {
        return partitions.get(tp);
    }

    public Collection<Partition> allPartitions() {
        return List.copyOf(partitions.values());
    }

    /**
     * Appends each partition's records and answers through {@code responseCallback}, at once for
     * acks 0 and 1, after replication for acks -1.
     *
     * <p>Buffer ownership: the buffers must be writable and stay untouched by the caller until
     * this method returns; the log assigns offsets in place.
     *
     * @param requiredAcks -1, 0 or 1 (checked by the caller)
     * @param timeoutMs how long acks=all may wait for replication
     */
    public void appendRecords(short requiredAcks, long timeoutMs, Map<TopicPartition, ByteBuffer> entries,
            Consumer<Map<TopicPartition, ProducePartitionResult>> responseCallback) {
        Map<TopicPartition, ProducePartitionResult> results = new LinkedHashMap<>();
        boolean anyAppended = false;
        for (Map.Entry<TopicPartition, ByteBuffer> e : entries.entrySet()) {
            ProducePartitionResult r = appendToPartition(e.getKey(), e.getValue(), requiredAcks);
            results.put(e.getKey(), r);
            anyAppended |= r.error() == Errors.NONE;
        }
        if (requiredAcks == -1 && anyAppended) {
            DelayedProduce delayed = new DelayedProduce(timeoutMs, this, results, responseCallback);
            producePurgatory.tryCompleteElseWatch(delayed, results.keySet());
        } else {
            responseCallback.accept(results);
        }
    }

    private ProducePartitionResult appendToPartition(TopicPartition tp, ByteBuffer records, short requiredAcks) {
        Partition partition = partitions.get(tp);
        if (partition == null) {
            return ProducePartitionResult.error(notHostedError.apply(tp), "This server does not host " + tp);
        }
        try {
            LogAppendInfo info = partition.appendRecordsToLeader(records, requiredAcks);
            if (!info.duplicate()) {
                fetchPurgatory.checkAndComplete(tp);
                producePurgatory.checkAndComplete(tp);
            }
            return new ProducePartitionResult(Errors.NONE, null, info.firstOffset(), info.logAppendTime(),
                    info.logStartOffset(), info.lastOffset());
        } catch (ReplicationException e) {
            return ProducePartitionResult.error(e.error(), e.getMessage());
        } catch (LogException e) {
            return ProducePartitionResult.error(e.error(), e.getMessage());
        } catch (ProtocolException e) {
            return ProducePartitionResult.error(e.error(), e.getMessage());
        }
    }

    /**
     * Reads for a consumer fetch and answers through {@code responseCallback} with one result per
     * requested partition, in request order: at once if {@code minBytes} are there, the wait is
     * zero or a partition failed; otherwise when an append brings enough or the wait runs out.
     */
    public void fetchMessages(FetchParams params, List<FetchPartitionRequest> requests,
            Consumer<List<FetchPartitionResult>> responseCallback) {
        List<FetchPartitionResult> results = readFromLocalLogs(params, requests);
        long bytes = 0;
        boolean anyError = false;
        for (FetchPartitionResult r : results) {
            bytes += r.records().length();
            anyError |= r.error() != Errors.NONE;
        }
        if (stopParking || params.maxWaitMs() <= 0 || requests.isEmpty() || bytes >= params.minBytes() || anyError) {
            responseCallback.accept(results);
            return;
        }
        List<TopicPartition> keys = new ArrayList<>(requests.size());
        for (FetchPartitionRequest r : requests) {
            keys.add(r.topicPartition());
        }
        fetchPurgatory.tryCompleteElseWatch(new DelayedFetch(this, params, requests, responseCallback), keys);
        if (stopParking) {
            // Parked while a shutdown swept the purgatory: answer it now instead of at its time-out.
            for (TopicPartition tp : keys) {
                completeParkedFetches(tp);
            }
        }
    }

    private void completeParkedFetches(TopicPartition tp) {
        for (DelayedFetch fetch : fetchPurgatory.cancelForKey(tp)) {
            fetch.forceComplete();
        }
    }

    /**
     * The first step of a shutdown: answers every parked fetch now and every later fetch at once,
     * so requests in flight finish without waiting out {@code fetch.max.wait.ms}.
     */
    public void stopParkingFetches() {
        stopParking = true;
        for (TopicPartition tp : partitions.keySet()) {
            completeParkedFetches(tp);
        }
    }

    /** Whether a parked fetch can be answered: enough bytes, or a partition that would fail. */
    boolean enoughToAnswer(FetchParams params, List<FetchPartitionRequest> requests) {
        long bytes = 0;
        for (FetchPartitionRequest r : requests) {
            Partition p = partitions.get(r.topicPartition());
            if (p == null || !p.isLeader() || r.fetchOffset() < p.logStartOffset() || r.fetchOffset() > p.logEndOffset()
                    || p.checkLeaderEpoch(r.currentLeaderEpoch()) != Errors.NONE) {
                return true;
            }
            long visibleEnd = params.isFromFollower() ? p.logEndOffset() : p.highWatermark();
            if (visibleEnd > r.fetchOffset()) {
                try {
                    bytes += p.log().read(r.fetchOffset(), r.maxBytes(), visibleEnd, true).length();
                } catch (LogException e) {
                    return true;
                }
                if (bytes >= params.minBytes()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One read per partition, in order, within the response's byte budget; the first non-empty
     * partition gets at least one whole batch even beyond the budget (KIP-74).
     */
    List<FetchPartitionResult> readFromLocalLogs(FetchParams params, List<FetchPartitionRequest> requests) {
        List<FetchPartitionResult> results = new ArrayList<>(requests.size());
        long budget = Math.max(0, params.maxBytes());
        boolean minOneBatch = true;
        for (FetchPartitionRequest r : requests) {
            TopicPartition tp = r.topicPartition();
            Partition p = partitions.get(tp);
            if (p == null || !p.isLeader()) {
                Errors error = p == null ? notHostedError.apply(tp) : Errors.NOT_LEADER_OR_FOLLOWER;
                results.add(FetchPartitionResult.failed(tp, error, -1, -1, r.fetchOffset()));
                continue;
            }
            long logStart = p.logStartOffset();
            int limit = (int) Math.max(0, Math.min(r.maxBytes(), budget));
            try {
                FetchPartitionResult result = params.isFromFollower()
                        ? readForFollower(params, r, p, limit, minOneBatch)
                        : readForConsumer(r, p, limit, minOneBatch);
                if (!result.records().isEmpty()) {
                    minOneBatch = false;
                    budget -= result.records().length();
                }
                results.add(result);
            } catch (LogException e) {
                results.add(FetchPartitionResult.failed(tp, e.error(), p.highWatermark(), logStart, r.fetchOffset()));
            } catch (ReplicationException e) {
                results.add(FetchPartitionResult.failed(tp, e.error(), p.highWatermark(), logStart, r.fetchOffset()));
            }
        }
        return results;
    }

    private FetchPartitionResult readForConsumer(FetchPartitionRequest r, Partition p, int limit, boolean minOneBatch) {
        Errors epochError = p.checkLeaderEpoch(r.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            throw new ReplicationException(epochError, "Leader epoch " + r.currentLeaderEpoch() + " is not "
                    + p.leaderEpoch());
        }
        long highWatermark = p.highWatermark();
        FileSlice slice = limit == 0 && !minOneBatch ? emptySlice(r.fetchOffset())
                : p.readForConsumer(r.fetchOffset(), limit, minOneBatch);
        return new FetchPartitionResult(r.topicPartition(), Errors.NONE, highWatermark, highWatermark,
                p.logStartOffset(), slice, null);
    }

    private FetchPartitionResult readForFollower(FetchParams params, FetchPartitionRequest r, Partition p, int limit,
            boolean minOneBatch) {
        FollowerRead read = p.readForFollower(new FollowerFetch(params.replicaId(), params.replicaEpoch(),
                r.currentLeaderEpoch(), r.fetchOffset(), r.lastFetchedEpoch(), limit, minOneBatch));
        if (read.highWatermarkMoved()) {
            onHighWatermarkMoved(r.topicPartition());
        }
        return new FetchPartitionResult(r.topicPartition(), Errors.NONE, read.highWatermark(), read.highWatermark(),
                read.logStartOffset(), read.records(), read.divergingEpoch());
    }

    private static FileSlice emptySlice(long offset) {
        return FileSlice.empty(offset);
    }

    /** Fetches parked in the purgatory, waiting for data or for their time-out. */
    public int delayedFetchCount() {
        return fetchPurgatory.numDelayed();
    }

    /** Answers every parked fetch and produce now and stops the purgatories' reapers. */
    @Override
    public void close() {
        stopParking = true;
        if (fetchers != null) {
            fetchers.close();
        }
        if (isrExpiration != null) {
            isrExpiration.shutdownNow();
        }
        for (Partition p : partitions.values()) {
            completeParkedFetches(p.topicPartition());
            for (DelayedProduce produce : producePurgatory.cancelForKey(p.topicPartition())) {
                produce.forceComplete();
            }
        }
        fetchPurgatory.shutdown();
        producePurgatory.shutdown();
    }
}
