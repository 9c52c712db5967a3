package io.fjord.client.producer.internals;

import io.fjord.api.Node;
import io.fjord.api.TopicPartition;
import io.fjord.client.errors.ClientException;
import io.fjord.client.errors.TimeoutException;
import io.fjord.client.network.LeastLoadedNode;
import io.fjord.client.network.NetworkClient;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.client.network.ResponseHandler;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.InitProducerIdRequest;
import io.fjord.protocol.message.InitProducerIdResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import io.fjord.protocol.message.ProduceRequest;
import io.fjord.protocol.message.ProduceResponse;
import io.fjord.protocol.types.MemoryRecordSet;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer's background thread: keeps metadata fresh, gets a producer id, drains ready batches
 * into one Produce request per broker, and handles the answers (complete, retry, refresh metadata,
 * bump the epoch). The network client does the I/O on its own thread; its handlers only queue the
 * outcome here, so all producer state below is touched by this thread alone.
 */
public final class Sender implements Runnable {

    private static final System.Logger LOG = System.getLogger(Sender.class.getName());

    private final SenderConfig config;
    private final RecordAccumulator accumulator;
    private final ProducerMetadata metadata;
    private final NetworkClient client;
    private final LeastLoadedNode nodeChooser;
    private final ProducerMetrics metrics;
    private final IdempotenceManager idempotence = new IdempotenceManager();
    private final Queue<Runnable> completions = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Integer> inFlightByNode = new HashMap<>();
    private final Map<Integer, Node> knownNodes = new HashMap<>();
    private final List<ProducerBatch> inFlightBatches = new ArrayList<>();
    private volatile Thread thread;
    private volatile boolean running = true;
    private volatile boolean forceClose;
    private boolean metadataInFlight;
    private boolean initInFlight;
    private long initBackoffUntilMs;

    public Sender(SenderConfig config, RecordAccumulator accumulator, ProducerMetadata metadata, NetworkClient client,
                  int[] bootstrapNodes, ProducerMetrics metrics) {
        this.config = config;
        this.accumulator = accumulator;
        this.metadata = metadata;
        this.client = client;
        this.nodeChooser = new LeastLoadedNode(client, bootstrapNodes);
        this.metrics = metrics;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            runOnce();
        }
        // Graceful close: send what is left, unless forced or past the caller's patience.
        while (!forceClose && (accumulator.hasIncomplete() || accumulator.appendsInProgress())) {
            runOnce();
        }
        abortAll(new ClientException(Errors.NETWORK_EXCEPTION, "The producer was closed before the record was sent"));
    }

    public void wakeup() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops after sending what is queued. */
    public void initiateClose() {
        running = false;
        wakeup();
    }

    /** Stops now, failing what is left. */
    public void forceClose() {
        forceClose = true;
        running = false;
        wakeup();
    }

    void runOnce() {
        Runnable completion;
        while ((completion = completions.poll()) != null) {
            completion.run();
        }
        long now = System.currentTimeMillis();
        long waitMs = Math.min(config.retryBackoffMs(), 100);
        maybeUpdateMetadata(now);
        if (config.idempotent() && !maybeInitProducerId(now)) {
            park(waitMs);
            return;
        }
        ProducerMetadata.Snapshot snapshot = metadata.snapshot();
        RecordAccumulator.ReadyCheck ready = accumulator.ready(snapshot::leaderOf, now);
        if (!ready.unknownLeaderTopics().isEmpty()) {
            metadata.requestUpdate();
        }
        ready.readyNodes().removeIf(node -> inFlightByNode.getOrDefault(node, 0) >= config.maxInFlightPerConnection());
        Map<Integer, List<ProducerBatch>> drained = accumulator.drain(snapshot.partitionsByLeader(),
                ready.readyNodes(), config.maxRequestSize(), gate, now);
        for (Map.Entry<Integer, List<ProducerBatch>> e : drained.entrySet()) {
            sendProduce(e.getKey(), e.getValue(), now);
        }
        failExpired(now);
        if (drained.isEmpty() && completions.isEmpty()) {
            park(Math.min(ready.nextCheckDelayMs(), Math.max(1, metadata.timeToNextUpdate(now))));
        }
    }

    /** Without idempotence every head batch may go; with it, the idempotence rules decide and stamp. */
    private final RecordAccumulator.DrainGate gate = new RecordAccumulator.DrainGate() {
        @Override
        public boolean mayDrain(ProducerBatch batch, RecordAccumulator.PartitionQueue queue) {
            return !config.idempotent() || idempotence.mayDrain(batch, queue);
        }

        @Override
        public void drained(ProducerBatch batch) {
            if (config.idempotent()) {
                idempotence.drained(batch);
            }
        }
    };

    private void park(long ms) {
        if (completions.isEmpty() && running) {
            LockSupport.parkNanos(Math.max(1, Math.min(ms, 1_000)) * 1_000_000L);
        }
    }

    // ---- metadata and producer id ------------------------------------------------------------------

    private int anyNode() {
        return nodeChooser.choose(knownNodes.keySet());
    }

    private void maybeUpdateMetadata(long now) {
        if (metadataInFlight || !metadata.updateDue(now)) {
            return;
        }
        metadataInFlight = true;
        int node = anyNode();
        MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(true);
        for (String topic : metadata.wantedTopics()) {
            request.topics().add(new MetadataRequest.MetadataRequestTopic().setName(topic));
        }
        client.send(node, request, onSenderThread((response, error) -> {
            metadataInFlight = false;
            if (error != null) {
                nodeChooser.failed();
                LOG.log(Level.DEBUG, "Metadata from node " + node + " failed: " + error.getMessage());
                return;
            }
            nodeChooser.succeeded();
            MetadataResponse metadataResponse = (MetadataResponse) response;
            metadata.update(metadataResponse, System.currentTimeMillis());
            for (MetadataResponse.MetadataResponseBroker broker : metadataResponse.brokers()) {
                Node known = knownNodes.get(broker.nodeId());
                if (known == null || !known.host().equals(broker.host()) || known.port() != broker.port()) {
                    client.setNode(broker.nodeId(), broker.host(), broker.port());
                    knownNodes.put(broker.nodeId(), new Node(broker.nodeId(), broker.host(), broker.port()));
                }
            }
        }));
    }

    /** @return whether a producer id is in hand */
    private boolean maybeInitProducerId(long now) {
        if (idempotence.bumpNeeded() && inFlightBatches.isEmpty()) {
            idempotence.bumpEpoch();
            LOG.log(Level.INFO, "Bumped the producer epoch to " + idempotence.epoch() + " after a sequence gap");
        }
        if (idempotence.hasProducerId()) {
            return true;
        }
        if (initInFlight || now < initBackoffUntilMs) {
            return false;
        }
        initInFlight = true;
        int node = anyNode();
        InitProducerIdRequest request = new InitProducerIdRequest().setTransactionalId(config.transactionalId())
                .setTransactionTimeoutMs(Integer.MAX_VALUE).setProducerId(-1).setProducerEpoch((short) -1);
        client.send(node, request, onSenderThread((response, error) -> {
            initInFlight = false;
            Errors code = error == null ? Errors.forCode(((InitProducerIdResponse) response).errorCode())
                    : Errors.NETWORK_EXCEPTION;
            if (code == Errors.NONE) {
                InitProducerIdResponse init = (InitProducerIdResponse) response;
                idempotence.setProducerId(init.producerId(), init.producerEpoch());
            } else {
                nodeChooser.failed();
                initBackoffUntilMs = System.currentTimeMillis() + config.retryBackoffMs();
                LOG.log(Level.DEBUG, "InitProducerId from node " + node + " failed: " + code);
            }
        }));
        return false;
    }

    // ---- produce -------------------------------------------------------------------------------------

    private void sendProduce(int node, List<ProducerBatch> batches, long now) {
        Map<String, ProduceRequest.TopicProduceData> byTopic = new LinkedHashMap<>();
        for (ProducerBatch batch : batches) {
            batch.lastAttemptMs = now;
            inFlightBatches.add(batch);
            byTopic.computeIfAbsent(batch.partition.topic(), t -> new ProduceRequest.TopicProduceData().setName(t))
                    .partitionData().add(new ProduceRequest.PartitionProduceData()
                            .setIndex(batch.partition.partition())
                            .setRecords(MemoryRecordSet.of(batch.wireBuffer())));
            metrics.recordBatch(batch);
        }
        ProduceRequest request = new ProduceRequest().setAcks(config.acks())
                .setTimeoutMs((int) Math.min(Integer.MAX_VALUE, config.requestTimeoutMs()))
                .setTopicData(new ArrayList<>(byTopic.values()));
        inFlightByNode.merge(node, 1, Integer::sum);
        long sentNs = System.nanoTime();
        if (config.acks() == 0) {
            short version = client.apiVersions(node).map(v -> v.latestUsableVersion(ApiKeys.PRODUCE))
                    .orElse(ApiKeys.PRODUCE.latestVersion());
            client.sendWithoutResponse(node, request, version, onSenderThread((response, error) ->
                    handleProduce(node, batches, null, error, sentNs)));
        } else {
            client.send(node, request, onSenderThread((response, error) ->
                    handleProduce(node, batches, (ProduceResponse) response, error, sentNs)));
        }
    }

    /** A network handler that hands the outcome to this thread, where all producer state lives. */
    private ResponseHandler onSenderThread(ResponseHandler onThisThread) {
        return (response, error) -> {
            completions.add(() -> onThisThread.onComplete(response, error));
            wakeup();
        };
    }

    private void handleProduce(int node, List<ProducerBatch> batches, ProduceResponse response, RuntimeException error,
                               long sentNs) {
        inFlightByNode.merge(node, -1, Integer::sum);
        metrics.recordRequestLatency(System.nanoTime() - sentNs);
        long now = System.currentTimeMillis();
        Map<TopicPartition, ProduceResponse.PartitionProduceResponse> answers = new HashMap<>();
        if (response != null) {
            for (ProduceResponse.TopicProduceResponse topic : response.responses()) {
                for (ProduceResponse.PartitionProduceResponse p : topic.partitionResponses()) {
                    answers.put(new TopicPartition(topic.name(), p.index()), p);
                }
            }
        }
        for (ProducerBatch batch : batches) {
            inFlightBatches.remove(batch);
            if (error != null) {
                // The whole request failed: a disconnect, a time-out, an unsupported version.
                Errors code = error instanceof ApiException api ? api.error() : Errors.UNKNOWN_SERVER_ERROR;
                handleBatchError(batch, code, error.getMessage(), now);
            } else if (config.acks() == 0) {
                finish(batch, -1, -1, null);
            } else {
                ProduceResponse.PartitionProduceResponse answer = answers.get(batch.partition);
                if (answer == null) {
                    handleBatchError(batch, Errors.UNKNOWN_SERVER_ERROR, "The broker did not answer for the partition", now);
                    continue;
                }
                Errors code = Errors.forCode(answer.errorCode());
                if (code == Errors.NONE || code == Errors.DUPLICATE_SEQUENCE_NUMBER) {
                    if (config.idempotent()) {
                        idempotence.acknowledged(batch);
                    }
                    finish(batch, answer.baseOffset(), answer.logAppendTimeMs(), null);
                } else {
                    handleBatchError(batch, code, null, now);
                }
            }
        }
    }

    private void handleBatchError(ProducerBatch batch, Errors code, String message, long now) {
        boolean withinDelivery = now - batch.createdMs < config.deliveryTimeoutMs();
        boolean retriable = code.retriable() || code == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER
                || code == Errors.UNKNOWN_PRODUCER_ID;
        if (code == Errors.NOT_LEADER_OR_FOLLOWER || code == Errors.UNKNOWN_TOPIC_OR_PARTITION
                || code == Errors.LEADER_NOT_AVAILABLE || code == Errors.NETWORK_EXCEPTION
                || code == Errors.FENCED_LEADER_EPOCH) {
            metadata.requestUpdate();
        }
        if (config.idempotent() && (code == Errors.UNKNOWN_PRODUCER_ID
                || (code == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER && idempotence.isRealGap(batch)))) {
            // Nothing of this batch was written: restart the partition's sequences under a new epoch.
            idempotence.requestEpochBump();
        }
        if (code == Errors.MESSAGE_TOO_LARGE && batch.recordCount() > 1 && withinDelivery && !forceClose) {
            // Too big for the broker's max.message.bytes, not for one record: send it in halves.
            accumulator.splitAndReenqueue(batch, now);
            return;
        }
        if (retriable && withinDelivery && batch.attempts < config.retries() && !forceClose) {
            metrics.recordRetry(batch.recordCount());
            accumulator.reenqueue(batch, now);
            return;
        }
        if (config.idempotent() && batch.baseSequence >= 0) {
            // An unresolved batch: whether it was written is unknown, so later sequences may leave a gap.
            idempotence.requestEpochBump();
        }
        String text = message != null ? message : code.defaultMessage();
        ClientException failure = !withinDelivery && retriable
                ? new TimeoutException("Expiring " + batch.recordCount() + " record(s) for " + batch.partition + ": "
                        + (now - batch.createdMs) + " ms has passed since batch creation (last error: " + code + ")")
                : ClientException.of(code, text + " (" + batch.partition + ")");
        finish(batch, -1, -1, failure);
    }

    private void finish(ProducerBatch batch, long baseOffset, long logAppendTime, RuntimeException error) {
        if (batch.result().isDone()) {
            return; // failed by a forced close while its request was out
        }
        accumulator.batchLeftFlight(batch);
        int callbackFailures = batch.complete(baseOffset, logAppendTime, error);
        if (error != null) {
            metrics.recordErrors(batch.recordCount());
        }
        if (callbackFailures > 0) {
            LOG.log(Level.WARNING, callbackFailures + " send callback(s) threw for " + batch.partition);
        }
        accumulator.deallocate(batch);
    }

    private void failExpired(long now) {
        for (ProducerBatch batch : accumulator.expire(config.deliveryTimeoutMs(), now)) {
            finish(batch, -1, -1, new TimeoutException("Expiring " + batch.recordCount() + " record(s) for "
                    + batch.partition + ": " + (now - batch.createdMs) + " ms has passed since batch creation"));
        }
    }

    private void abortAll(RuntimeException error) {
        metrics.recordErrors(accumulator.abortQueued(error));
        for (ProducerBatch batch : accumulator.incompleteBatches()) {
            finish(batch, -1, -1, error);
        }
        metadata.fail(new ClientException(Errors.NETWORK_EXCEPTION, "The producer is closed"));
    }
}
