package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.client.network.NetworkClient;
import io.fjord.common.errors.Errors;
import io.fjord.log.EpochEndOffset;
import io.fjord.log.LogException;
import io.fjord.log.PartitionLog;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.protocol.message.OffsetForLeaderEpochRequest;
import io.fjord.protocol.message.OffsetForLeaderEpochResponse;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One follower fetcher: a thread that fetches the partitions it was given from one leader broker,
 * appends what comes back to the local logs with the leader's offsets and epochs, and truncates a
 * log where it diverges from the leader's (KIP-101 / KIP-595: the fetch carries each log's last
 * epoch and the leader answers with the point where the two logs part).
 *
 * <p>Concurrency: the partition map is guarded by {@link #lock}. The request is sent and awaited
 * without it; the response is applied under it, and only to partitions whose fetch state is still
 * the one the request was built from. So once {@link #removePartition} returns, this thread will
 * not touch that partition's log again: its new leadership can start on a quiet log.
 */
final class ReplicaFetcherThread extends Thread {

    private static final Logger LOG = Logger.getLogger(ReplicaFetcherThread.class.getName());

    /**
     * One partition's fetch position. Replaced (never changed in place) when the partition is
     * added again, so an answer to an older request is recognised and dropped.
     */
    private static final class FetchState {
        final TopicPartition tp;
        final UUID topicId;
        final int leaderEpoch;
        final Partition partition;
        long delayedUntilMs;

        FetchState(TopicPartition tp, UUID topicId, int leaderEpoch, Partition partition) {
            this.tp = tp;
            this.topicId = topicId;
            this.leaderEpoch = leaderEpoch;
            this.partition = partition;
        }
    }

    private final int nodeId;
    private final int leaderId;
    private final NetworkClient client;
    private final ReplicationSettings settings;
    private final ReplicaCluster cluster;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition partitionsAdded = lock.newCondition();
    private final Map<TopicPartition, FetchState> states = new LinkedHashMap<>();
    private volatile boolean running = true;

    ReplicaFetcherThread(String name, int nodeId, int leaderId, NetworkClient client, ReplicationSettings settings,
            ReplicaCluster cluster) {
        super(name);
        setDaemon(true);
        this.nodeId = nodeId;
        this.leaderId = leaderId;
        this.client = client;
        this.settings = settings;
        this.cluster = cluster;
    }

    void addPartition(TopicPartition tp, UUID topicId, int leaderEpoch, Partition partition) {
        lock.lock();
        try {
            states.put(tp, new FetchState(tp, topicId, leaderEpoch, partition));
            partitionsAdded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops fetching {@code tp}; when this returns no response touches its log any more. */
    boolean removePartition(TopicPartition tp) {
        lock.lock();
        try {
            return states.remove(tp) != null;
        } finally {
            lock.unlock();
        }
    }

    int partitionCount() {
        lock.lock();
        try {
            return states.size();
        } finally {
            lock.unlock();
        }
    }

    void shutdown() {
        running = false;
        interrupt();
    }

    @Override
    public void run() {
        while (running) {
            try {
                fetchOnce();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, getName() + ": fetch from broker " + leaderId + " failed", e);
                pause(settings.fetchBackoffMs());
            }
        }
    }

    private void fetchOnce() throws InterruptedException {
        Map<TopicPartition, FetchState> sent = new HashMap<>();
        FetchRequest request = buildRequest(sent);
        if (request == null) {
            return;
        }
        FetchResponse response;
        try {
            response = client.send(leaderId, request, FetchResponse.class)
                    .get(settings.socketTimeoutMs() + settings.fetchWaitMaxMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.fine(() -> getName() + ": fetch from broker " + leaderId + " failed: " + e);
            ReplicaCluster.BrokerEndpoint endpoint = cluster.endpoint(leaderId);
            if (endpoint != null) {
                client.setNode(leaderId, endpoint.host(), endpoint.port()); // it may have moved
            }
            pause(settings.fetchBackoffMs());
            return;
        }
        Map<UUID, String> names = new HashMap<>();
        sent.values().forEach(s -> names.put(s.topicId, s.tp.topic()));
        lock.lock();
        try {
            for (FetchResponse.FetchableTopicResponse topic : response.responses()) {
                String name = names.get(topic.topicId());
                for (FetchResponse.PartitionData p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p.partitionIndex());
                    FetchState state = sent.get(tp);
                    if (state != null && states.get(tp) == state) {
                        apply(state, p);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The request for every partition not backing off; null (after waiting a little) when there is none. */
    private FetchRequest buildRequest(Map<TopicPartition, FetchState> sent) throws InterruptedException {
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            long nextReady = Long.MAX_VALUE;
            Map<UUID, FetchRequest.FetchTopic> topics = new LinkedHashMap<>();
            for (FetchState s : states.values()) {
                if (s.delayedUntilMs > now) {
                    nextReady = Math.min(nextReady, s.delayedUntilMs);
                    continue;
                }
                PartitionLog log = s.partition.log();
                topics.computeIfAbsent(s.topicId, id -> new FetchRequest.FetchTopic().setTopicId(id)).partitions()
                        .add(new FetchRequest.FetchPartition().setPartition(s.tp.partition())
                                .setCurrentLeaderEpoch(s.leaderEpoch).setFetchOffset(log.logEndOffset())
                                .setLastFetchedEpoch(log.latestEpoch()).setLogStartOffset(log.logStartOffset())
                                .setPartitionMaxBytes(settings.fetchMaxBytes()));
                sent.put(s.tp, s);
            }
            if (topics.isEmpty()) {
                long waitMs = nextReady == Long.MAX_VALUE ? settings.fetchBackoffMs() : Math.max(1, nextReady - now);
                partitionsAdded.await(waitMs, TimeUnit.MILLISECONDS);
                return null;
            }
            return new FetchRequest()
                    .setReplicaId(nodeId)
                    .setReplicaState(new FetchRequest.ReplicaState().setReplicaId(nodeId)
                            .setReplicaEpoch(cluster.brokerEpoch()))
                    .setMaxWaitMs(settings.fetchWaitMaxMs()).setMinBytes(settings.fetchMinBytes())
                    .setMaxBytes(settings.fetchResponseMaxBytes()).setSessionId(0).setSessionEpoch(-1)
                    .setTopics(new ArrayList<>(topics.values()));
        } finally {
            lock.unlock();
        }
    }

    /** Applies one partition's answer. Caller holds {@link #lock}. */
    private void apply(FetchState state, FetchResponse.PartitionData p) {
        Errors error = Errors.forCode(p.errorCode());
        PartitionLog log = state.partition.log();
        try {
            switch (error) {
                case NONE -> {
                    FetchResponse.EpochEndOffset diverging = p.divergingEpoch();
                    if (diverging.epoch() >= 0 || diverging.endOffset() >= 0) {
                        truncateOnDivergence(state, new EpochEndOffset(diverging.epoch(), diverging.endOffset()));
                        return;
                    }
                    appendFetched(log, p.records());
                    log.updateHighWatermark(Math.min(p.highWatermark(), log.logEndOffset()));
                    if (p.logStartOffset() > log.logStartOffset() && p.logStartOffset() <= log.highWatermark()) {
                        log.deleteRecordsBefore(p.logStartOffset());
                    }
                }
                case OFFSET_OUT_OF_RANGE -> handleOutOfRange(state, p.logStartOffset());
                default -> {
                    LOG.fine(() -> getName() + ": " + state.tp + " answered " + error + "; backing off");
                    state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
                }
            }
        } catch (LogException | ReplicationException e) {
            LOG.log(Level.WARNING, getName() + ": replicating " + state.tp + " failed: " + e.getMessage());
            state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
        }
    }

    private static void appendFetched(PartitionLog log, RecordSet records) {
        if (records == null || records.sizeInBytes() == 0) {
            return;
        }
        ByteBuffer bytes;
        if (records instanceof MemoryRecordSet memory) {
            bytes = memory.buffer();
        } else {
            bytes = ByteBuffer.allocate(records.sizeInBytes());
            records.copyTo(bytes);
            bytes.flip();
        }
        ByteBuffer whole = WholeBatches.prefix(bytes);
        if (whole.hasRemaining()) {
            log.appendAsFollower(whole);
        }
    }

    private void truncateOnDivergence(FetchState state, EpochEndOffset leader) {
        PartitionLog log = state.partition.log();
        long end = log.logEndOffset();
        long target = TruncationPoint.of(log, leader);
        if (target < end) {
            LOG.info(getName() + ": truncating " + state.tp + " from " + end + " to " + target
                    + " where it diverges from leader " + leaderId + " (epoch " + leader.epoch() + " ends at "
                    + leader.endOffset() + ")");
            log.truncateTo(target);
        }
    }

    /**
     * An offset the leader does not have: below its log start, this log starts over there; above
     * its end (a leader that lost records in an unclean election), this log asks the leader where
     * its last epoch ends and truncates there.
     */
    private void handleOutOfRange(FetchState state, long leaderLogStart) {
        PartitionLog log = state.partition.log();
        if (leaderLogStart >= 0 && log.logEndOffset() < leaderLogStart) {
            LOG.info(getName() + ": " + state.tp + " is below the leader's log start " + leaderLogStart
                    + "; starting the log over there");
            log.truncateFullyAndStartAt(leaderLogStart);
            return;
        }
        EpochEndOffset leaderEnd = leaderEpochEnd(state, log.latestEpoch());
        if (leaderEnd != null) {
            truncateOnDivergence(state, leaderEnd);
        } else {
            state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
        }
    }

    private EpochEndOffset leaderEpochEnd(FetchState state, int epoch) {
        OffsetForLeaderEpochRequest request = new OffsetForLeaderEpochRequest().setReplicaId(nodeId);
        OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic = new OffsetForLeaderEpochRequest.OffsetForLeaderTopic()
                .setTopic(state.tp.topic());
        topic.partitions().add(new OffsetForLeaderEpochRequest.OffsetForLeaderPartition()
                .setPartition(state.tp.partition()).setCurrentLeaderEpoch(state.leaderEpoch).setLeaderEpoch(epoch));
        request.topics().add(topic);
        try {
            OffsetForLeaderEpochResponse response = client.send(leaderId, request, OffsetForLeaderEpochResponse.class)
                    .get(settings.socketTimeoutMs(), TimeUnit.MILLISECONDS);
            for (OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult t : response.topics()) {
                for (OffsetForLeaderEpochResponse.EpochEndOffset p : t.partitions()) {
                    if (p.errorCode() == Errors.NONE.code()) {
                        return new EpochEndOffset(p.leaderEpoch(), p.endOffset());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.fine(() -> getName() + ": OffsetForLeaderEpoch for " + state.tp + " failed: " + e);
        }
        return null;
    }

    private void pause(long ms) {
        lock.lock();
        try {
            partitionsAdded.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            if (!running) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }
}
