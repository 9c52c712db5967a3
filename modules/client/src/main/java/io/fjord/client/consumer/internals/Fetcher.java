package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.serialization.Deserializer;
import io.fjord.client.consumer.ConsumerConfig;
import io.fjord.client.consumer.ConsumerConfig.OffsetReset;
import io.fjord.client.consumer.NoOffsetForPartitionException;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NodeApiVersions;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fetches records for the assigned partitions: at most one Fetch in flight per broker, sent again
 * as soon as its response is in, so the next records arrive while the application works on the
 * last (pipelining); {@code max.poll.records} per poll taken from the buffered responses.
 * A partition whose records are still buffered is fetched once more from where they end, so its
 * next records arrive while the application reads these; never further ahead than that.
 * Out-of-range positions are reset by {@code auto.offset.reset}.
 *
 * <p>Threads: responses are queued by the I/O thread; everything else runs on the application's
 * thread, and a broker counts as having a fetch in flight until that thread has taken in its
 * response. Invariant: a buffered fetch is returned only while the partition's position equals the
 * fetch's next offset, so a seek or a reassignment silently drops what was fetched before it.
 */
public final class Fetcher<K, V> {

    private static final short FIRST_SESSION_VERSION = 7;
    /** The last version that names topics; later ones name them by id only. */
    private static final short LAST_VERSION_WITH_NAMES = 12;
    private static final UUID NO_TOPIC_ID = new UUID(0L, 0L);
    /** The fetch being read plus the one arriving behind it. */
    private static final int MAX_BUFFERED_FETCHES_PER_PARTITION = 2;

    /** A response, or the failure, of one Fetch request, as the I/O thread queued it. */
    private record Arrived(FetchSessionHandler handler, FetchSessionHandler.Built sent, FetchResponse response,
                           RuntimeException error) {
    }

    private final ConsumerConfig config;
    private final ConsumerMetadata metadata;
    private final SubscriptionState subscriptions;
    private final ConsumerNetwork network;
    private final CodecRegistry codecs;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final ConsumerMetrics metrics;
    /** Brokers with a fetch whose response is not yet taken in; the application's thread alone uses it. */
    private final Set<Integer> inFlight = new HashSet<>();
    private final ConcurrentLinkedQueue<Arrived> arrived = new ConcurrentLinkedQueue<>();
    private final Map<Integer, FetchSessionHandler> sessions = new HashMap<>();
    private final ArrayDeque<CompletedFetch<K, V>> completed = new ArrayDeque<>();
    private CompletedFetch<K, V> nextInLine;
    private RuntimeException pendingFailure;

    public Fetcher(ConsumerConfig config, ConsumerMetadata metadata, SubscriptionState subscriptions,
                   ConsumerNetwork network, CodecRegistry codecs, Deserializer<K> keyDeserializer,
                   Deserializer<V> valueDeserializer, ConsumerMetrics metrics) {
        this.config = config;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.network = network;
        this.codecs = codecs;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.metrics = metrics;
    }

    // ---- sending

    /** Sends a Fetch to every broker that leads a fetchable partition and has none in flight. */
    public int sendFetches() {
        ConsumerMetadata.Snapshot md = metadata.snapshot();
        Map<TopicPartition, BufferedState> buffered = bufferedPartitions();
        Map<Integer, LinkedHashMap<TopicPartition, FetchSessionHandler.PartitionData>> byNode = new LinkedHashMap<>();
        for (TopicPartition tp : subscriptions.assignedList()) {
            if (!subscriptions.isFetchable(tp)) {
                continue;
            }
            ConsumerMetadata.Leader leader = md.leader(tp);
            if (leader.nodeId() < 0) {
                metadata.requestUpdate();
                continue;
            }
            if (inFlight.contains(leader.nodeId()) || !subscriptions.fetchableUnder(tp, leader.epoch())) {
                continue;
            }
            long fetchOffset = nextFetchOffset(tp, buffered.get(tp));
            if (fetchOffset < 0) {
                continue;
            }
            byNode.computeIfAbsent(leader.nodeId(), n -> new LinkedHashMap<>()).put(tp,
                    new FetchSessionHandler.PartitionData(md.topicIds().getOrDefault(tp.topic(), NO_TOPIC_ID),
                            fetchOffset, leader.epoch(), -1, config.maxPartitionFetchBytes));
        }
        NetworkClient client = network.client();
        int sent = 0;
        for (Map.Entry<Integer, LinkedHashMap<TopicPartition, FetchSessionHandler.PartitionData>> e : byNode.entrySet()) {
            int node = e.getKey();
            Optional<NodeApiVersions> versions = client.apiVersions(node);
            if (versions.isEmpty()) {
                // Versions first: they decide between a session and topic ids, and the first
                // request of a session must be its only full one.
                client.connect(node);
                continue;
            }
            FetchSessionHandler handler = sessions.computeIfAbsent(node, FetchSessionHandler::new);
            boolean sessionsSupported = versions.get().maxVersion(ApiKeys.FETCH) >= FIRST_SESSION_VERSION;
            FetchRequest request = new FetchRequest().setReplicaId(-1).setMaxWaitMs(config.fetchMaxWaitMs)
                    .setMinBytes(config.fetchMinBytes).setMaxBytes(config.fetchMaxBytes)
                    .setIsolationLevel((byte) (config.readCommitted ? 1 : 0)).setRackId(config.clientRack);
            FetchSessionHandler.Built built = handler.build(e.getValue(), sessionsSupported, request);
            inFlight.add(node);
            metrics.fetchSent(built.full());
            network.send(node, built.request(), fetchVersion(versions.get(), built), FetchResponse.class)
                    .whenComplete((response, error) -> arrived.add(new Arrived(handler, built, response,
                            error == null ? null : error instanceof RuntimeException r ? r : new RuntimeException(error))));
            sent++;
        }
        return sent;
    }


    /**
     * The version to send: the negotiated one, unless a topic of the request (or of the session it
     * touches) has no known id, which only versions up to 12 can name.
     */
    private static short fetchVersion(NodeApiVersions versions, FetchSessionHandler.Built built) {
        short latest = versions.latestUsableVersion(ApiKeys.FETCH);
        if (latest <= LAST_VERSION_WITH_NAMES) {
            return latest;
        }
        for (FetchSessionHandler.PartitionData data : built.sessionPartitions().values()) {
            if (NO_TOPIC_ID.equals(data.topicId())) {
                return LAST_VERSION_WITH_NAMES;
            }
        }
        return latest;
    }

    /** Whether responses wait to be taken in, or records to be returned. */
    public boolean hasAvailableFetches() {
        return !arrived.isEmpty() || !completed.isEmpty() || (nextInLine != null && !nextInLine.isDrained());
    }

    // ---- receiving

    /** Takes in the responses the I/O thread queued. */
    public void processArrived() {
        Arrived a;
        while ((a = arrived.poll()) != null) {
            // In flight until taken in here, not when the I/O thread queued it: a request built
            // before its session handler saw the last response would reuse that response's epoch
            // (or open a second session).
            inFlight.remove(a.handler().node());
            if (a.error() != null) {
                a.handler().close();
                metadata.requestUpdate();
                continue;
            }
            if (!a.handler().handleResponse(a.response())) {
                continue;
            }
            Map<TopicPartition, BufferedState> buffered = bufferedPartitions();
            Map<UUID, String> names = new HashMap<>();
            a.sent().sessionPartitions().forEach((tp, data) -> names.put(data.topicId(), tp.topic()));
            for (FetchResponse.FetchableTopicResponse topic : a.response().responses()) {
                String name = topic.topic() != null && !topic.topic().isEmpty() ? topic.topic() : names.get(topic.topicId());
                if (name == null) {
                    continue;
                }
                for (FetchResponse.PartitionData data : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(name, data.partitionIndex());
                    FetchSessionHandler.PartitionData sent = a.sent().sessionPartitions().get(tp);
                    if (sent == null || !subscriptions.isAssigned(tp) || !subscriptions.hasPosition(tp)
                            || nextFetchOffset(tp, buffered.get(tp)) != sent.fetchOffset()) {
                        continue; // the position moved, or records for this offset are already buffered
                    }
                    handlePartition(tp, sent.fetchOffset(), data);
                    buffered = bufferedPartitions();
                }
            }
        }
    }

    private void handlePartition(TopicPartition tp, long fetchOffset, FetchResponse.PartitionData data) {
        Errors error = Errors.forCode(data.errorCode());
        switch (error) {
            case NONE -> {
                subscriptions.updateFetchState(tp, data.highWatermark(), data.logStartOffset(), data.lastStableOffset());
                ByteBuffer records = records(data.records());
                if (records.remaining() == 0) {
                    return;
                }
                List<Long> aborted = new ArrayList<>();
                if (data.abortedTransactions() != null) {
                    data.abortedTransactions().forEach(t -> aborted.add(t.producerId()));
                }
                completed.add(new CompletedFetch<>(tp, fetchOffset, records, codecs, config.checkCrcs,
                        config.readCommitted, aborted, keyDeserializer, valueDeserializer));
            }
            case OFFSET_OUT_OF_RANGE -> {
                if (subscriptions.hasPosition(tp) && subscriptions.position(tp) == fetchOffset) {
                    OffsetReset reset = subscriptions.defaultReset();
                    if (reset == OffsetReset.NONE) {
                        pendingFailure = new NoOffsetForPartitionException(Errors.OFFSET_OUT_OF_RANGE, Set.of(tp),
                                "Fetch position " + fetchOffset + " is out of range for partition " + tp
                                        + " and auto.offset.reset is none");
                    } else {
                        subscriptions.requestReset(tp, reset);
                    }
                }
            }
            case NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, FENCED_LEADER_EPOCH,
                    UNKNOWN_LEADER_EPOCH, KAFKA_STORAGE_ERROR, OFFSET_NOT_AVAILABLE, REPLICA_NOT_AVAILABLE,
                    LEADER_NOT_AVAILABLE -> metadata.requestUpdate();
            default -> System.getLogger(Fetcher.class.getName()).log(System.Logger.Level.WARNING,
                    "Fetch of " + tp + " at offset " + fetchOffset + " failed with " + error.name());
        }
    }

    private static ByteBuffer records(RecordSet set) {
        if (set == null) {
            return ByteBuffer.allocate(0);
        }
        if (set instanceof MemoryRecordSet memory) {
            return memory.buffer();
        }
        ByteBuffer copy = ByteBuffer.allocate(set.sizeInBytes());
        set.copyTo(copy);
        return copy.flip();
    }

    // ---- returning records

    /**
     * Up to {@code maxRecords} buffered records, by partition, moving each partition's position past
     * what it returns.
     */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> collect(int maxRecords) {
        if (pendingFailure != null) {
            RuntimeException failure = pendingFailure;
            pendingFailure = null;
            throw failure;
        }
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
        List<CompletedFetch<K, V>> pausedFetches = new ArrayList<>();
        int remaining = maxRecords;
        try {
            while (remaining > 0) {
                if (nextInLine == null || nextInLine.isDrained()) {
                    nextInLine = completed.poll();
                    if (nextInLine == null) {
                        break;
                    }
                }
                TopicPartition tp = nextInLine.partition;
                if (!subscriptions.isAssigned(tp) || !subscriptions.hasPosition(tp)
                        || subscriptions.position(tp) != nextInLine.nextFetchOffset()) {
                    nextInLine.drain();
                    nextInLine = null;
                    continue;
                }
                if (subscriptions.isPaused(tp)) {
                    pausedFetches.add(nextInLine);
                    nextInLine = null;
                    continue;
                }
                List<ConsumerRecord<K, V>> records = out.computeIfAbsent(tp, p -> new ArrayList<>());
                int before = records.size();
                try {
                    nextInLine.fetchRecords(remaining, records);
                } finally {
                    subscriptions.advance(tp, nextInLine.nextFetchOffset(), nextInLine.lastEpoch());
                    if (records.isEmpty()) {
                        out.remove(tp);
                    }
                }
                int n = records.size() - before;
                remaining -= n;
                metrics.recordsConsumed(tp, n);
                if (nextInLine.isDrained()) {
                    metrics.bytesConsumed(nextInLine.bytes());
                    nextInLine = null;
                }
            }
        } catch (RuntimeException e) {
            if (out.isEmpty()) {
                throw e;
            }
            // Records before the failure go out now; the failure comes on the next poll.
        } finally {
            for (int i = pausedFetches.size() - 1; i >= 0; i--) {
                completed.addFirst(pausedFetches.get(i));
            }
        }
        return out;
    }

    /** How many fetches of a partition are buffered and where the last one ends. */
    private record BufferedState(int fetches, long endOffset) {
    }

    private Map<TopicPartition, BufferedState> bufferedPartitions() {
        Map<TopicPartition, BufferedState> out = new HashMap<>();
        if (nextInLine != null && !nextInLine.isDrained()) {
            out.put(nextInLine.partition, new BufferedState(1, nextInLine.endOffset()));
        }
        for (CompletedFetch<K, V> fetch : completed) {
            BufferedState before = out.get(fetch.partition);
            out.put(fetch.partition, new BufferedState(before == null ? 1 : before.fetches() + 1, fetch.endOffset()));
        }
        return out;
    }

    /**
     * Where the next fetch of a partition starts: its position, or with records buffered the end of
     * the last buffered fetch, so the next records arrive while the application reads these (one
     * fetch ahead at most); -1 for no fetch now.
     */
    private long nextFetchOffset(TopicPartition tp, BufferedState buffered) {
        if (buffered == null) {
            return subscriptions.position(tp);
        }
        if (buffered.fetches() >= MAX_BUFFERED_FETCHES_PER_PARTITION || subscriptions.isPaused(tp)) {
            return -1;
        }
        return Math.max(subscriptions.position(tp), buffered.endOffset());
    }

    /** Drops buffered records of partitions no longer assigned. */
    public void clearBufferedDataForUnassigned() {
        completed.removeIf(f -> !subscriptions.isAssigned(f.partition));
        if (nextInLine != null && !subscriptions.isAssigned(nextInLine.partition)) {
            nextInLine = null;
        }
    }

    /** Fetch requests sent full and incremental, per the session handlers. */
    public long[] sessionRequestCounts() {
        long full = 0;
        long incremental = 0;
        for (FetchSessionHandler h : sessions.values()) {
            full += h.fullRequests();
            incremental += h.incrementalRequests();
        }
        return new long[] {full, incremental};
    }
}
