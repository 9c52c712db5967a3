package io.fjord.client.producer.internals;

import io.fjord.api.Header;
import io.fjord.api.TopicPartition;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.client.producer.Callback;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches records per partition until the sender takes them: a deque of {@link ProducerBatch}es per
 * partition, the last one open for appends, the others full and waiting. A partition's batches are
 * ready when one is full, has lingered {@code linger.ms}, or the producer is flushing or closing or
 * short of memory; {@link #drain} takes ready batches per leader, at most one per partition per
 * request, up to {@code max.request.size}, starting each time after the partition it ended on.
 *
 * <p>Invariants: a deque's contents change only under its lock; a batch's buffer returns to the
 * pool exactly once, in {@link #deallocate}; with ordering guaranteed ({@code
 * max.in.flight.requests.per.connection=1}) a partition with a batch in flight is muted and drains
 * nothing more. Retried batches go back to the head in sequence order.
 */
public final class RecordAccumulator {

    /** A partition's queue and its sending state. */
    static final class PartitionQueue {
        final ArrayDeque<ProducerBatch> batches = new ArrayDeque<>();
        /** Batches of this partition drained and not yet completed; sender thread only. */
        int inFlight;
        boolean muted;
    }

    /** What {@link #ready} found: nodes to drain, and how long until the next check is due. */
    public record ReadyCheck(Set<Integer> readyNodes, long nextCheckDelayMs, Set<String> unknownLeaderTopics) {
    }

    /** The leader of a partition in the current metadata, or -1 if none is known. */
    @FunctionalInterface
    public interface LeaderLookup {
        int leaderOf(TopicPartition partition);
    }

    private final int batchSize;
    private final long lingerMs;
    private final long retryBackoffMs;
    private final boolean guaranteeOrder;
    private final CompressionCodec codec;
    private final BufferPool pool;
    private final ConcurrentHashMap<TopicPartition, PartitionQueue> queues = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final AtomicInteger appendsInProgress = new AtomicInteger();
    private final AtomicInteger flushesInProgress = new AtomicInteger();
    private final Map<Integer, Integer> drainIndex = new HashMap<>();
    private volatile boolean closed;

    public RecordAccumulator(int batchSize, long lingerMs, long retryBackoffMs, boolean guaranteeOrder,
                             CompressionCodec codec, BufferPool pool) {
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.retryBackoffMs = retryBackoffMs;
        this.guaranteeOrder = guaranteeOrder;
        this.codec = codec;
        this.pool = pool;
    }

    /** The outcome of an append: the record's future, and whether the sender should look now. */
    public record AppendResult(FutureRecordMetadata future, boolean batchFull, boolean newBatch) {
    }

    /**
     * Appends a record to its partition's open batch, opening a new one (and waiting up to
     * {@code maxBlockMs} for its memory) when it does not fit.
     */
    public AppendResult append(TopicPartition partition, long timestamp, byte[] key, byte[] value, Header[] headers,
                               Callback callback, long maxBlockMs, long nowMs) throws InterruptedException {
        appendsInProgress.incrementAndGet();
        ByteBuffer buffer = null;
        try {
            PartitionQueue queue = queues.computeIfAbsent(partition, p -> new PartitionQueue());
            synchronized (queue) {
                checkOpen();
                AppendResult appended = tryAppend(queue, timestamp, key, value, headers, callback);
                if (appended != null) {
                    return appended;
                }
            }
            int size = Math.max(batchSize, ProducerBatch.sizeForSingleRecord(key, value, headers));
            // May block: never while holding the deque's lock.
            buffer = pool.allocate(size, maxBlockMs);
            synchronized (queue) {
                checkOpen();
                AppendResult appended = tryAppend(queue, timestamp, key, value, headers, callback);
                if (appended != null) {
                    return appended; // another thread opened a batch meanwhile; our buffer goes back below
                }
                ProducerBatch batch = new ProducerBatch(partition, buffer, codec, nowMs);
                buffer = null;
                FutureRecordMetadata future = batch.tryAppend(timestamp, key, value, headers, callback);
                queue.batches.addLast(batch);
                incomplete.add(batch);
                return new AppendResult(future, queue.batches.size() > 1 || batch.isFull(), true);
            }
        } finally {
            if (buffer != null) {
                pool.deallocate(buffer, buffer.capacity());
            }
            appendsInProgress.decrementAndGet();
        }
    }

    private static AppendResult tryAppend(PartitionQueue queue, long timestamp, byte[] key, byte[] value,
                                          Header[] headers, Callback callback) {
        ProducerBatch last = queue.batches.peekLast();
        if (last == null) {
            return null;
        }
        FutureRecordMetadata future = last.tryAppend(timestamp, key, value, headers, callback);
        if (future == null) {
            last.close();
            return null;
        }
        return new AppendResult(future, queue.batches.size() > 1 || last.isFull(), false);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The producer is closed: no more records are accepted");
        }
    }

    /** The bytes a record takes in a batch of its own, header included: the least a batch for it needs. */
    public static int sizeInBatch(byte[] key, byte[] value, Header[] headers) {
        return ProducerBatch.sizeForSingleRecord(key, value, headers);
    }

    /** Batches waiting in the partition's queue; 0 if it has none. */
    int queueLength(TopicPartition partition) {
        PartitionQueue queue = queues.get(partition);
        return queue == null ? 0 : queue.batches.size();
    }

    /** Finds the leaders that have batches to send now. */
    public ReadyCheck ready(LeaderLookup leaders, long nowMs) {
        Set<Integer> readyNodes = new HashSet<>();
        Set<String> unknownLeaderTopics = new HashSet<>();
        long nextDelay = Long.MAX_VALUE;
        boolean exhausted = pool.queued() > 0;
        boolean flushing = flushesInProgress.get() > 0 || closed;
        for (Map.Entry<TopicPartition, PartitionQueue> entry : queues.entrySet()) {
            PartitionQueue queue = entry.getValue();
            synchronized (queue) {
                ProducerBatch first = queue.batches.peekFirst();
                if (first == null || queue.muted) {
                    continue;
                }
                int leader = leaders.leaderOf(entry.getKey());
                if (leader < 0) {
                    unknownLeaderTopics.add(entry.getKey().topic());
                    continue;
                }
                if (readyNodes.contains(leader)) {
                    continue;
                }
                long waitedMs = nowMs - first.lastAttemptMs;
                long timeToWaitMs = first.retried ? retryBackoffMs : lingerMs;
                boolean full = queue.batches.size() > 1 || first.isFull();
                if (full || waitedMs >= timeToWaitMs || exhausted || flushing) {
                    readyNodes.add(leader);
                } else {
                    nextDelay = Math.min(nextDelay, timeToWaitMs - waitedMs);
                }
            }
        }
        return new ReadyCheck(readyNodes, nextDelay, unknownLeaderTopics);
    }

    /** Decides per partition whether its head batch may be drained now, and stamps it once sealed (idempotence). */
    public interface DrainGate {
        /** @return whether {@code batch}, the head of its partition, may go now; no side effects */
        boolean mayDrain(ProducerBatch batch, PartitionQueue queue);

        /** {@code batch} was sealed and taken: give it its producer id and sequence, if it needs them. */
        void drained(ProducerBatch batch);
    }

    /**
     * Takes, per ready node, batches of its partitions up to {@code maxRequestSize} bytes, one per
     * partition, closing each. The order of partitions rotates per node between calls.
     */
    public Map<Integer, List<ProducerBatch>> drain(Map<Integer, List<TopicPartition>> partitionsByLeader,
                                                   Set<Integer> readyNodes, int maxRequestSize, DrainGate gate,
                                                   long nowMs) {
        Map<Integer, List<ProducerBatch>> drained = new HashMap<>();
        for (int node : readyNodes) {
            List<TopicPartition> partitions = partitionsByLeader.getOrDefault(node, List.of());
            if (partitions.isEmpty()) {
                continue;
            }
            List<ProducerBatch> ready = new ArrayList<>();
            int size = 0;
            int start = drainIndex.getOrDefault(node, 0) % partitions.size();
            int i = start;
            do {
                int current = i;
                PartitionQueue queue = queues.get(partitions.get(current));
                i = (i + 1) % partitions.size();
                if (queue == null) {
                    continue;
                }
                synchronized (queue) {
                    ProducerBatch first = queue.batches.peekFirst();
                    if (first == null || queue.muted || (first.retried && nowMs - first.lastAttemptMs < retryBackoffMs)) {
                        continue;
                    }
                    // Checked before sealing: a batch that stays must stay open for appends.
                    if (!gate.mayDrain(first, queue)) {
                        continue;
                    }
                    int batchBytes = first.estimatedSizeInBytes();
                    if (size + batchBytes > maxRequestSize && !ready.isEmpty()) {
                        i = current; // the next request takes it, starting here
                        break;
                    }
                    first.close();
                    batchBytes = first.estimatedSizeInBytes();
                    gate.drained(first);
                    queue.batches.pollFirst();
                    queue.inFlight++;
                    first.inFlight = true;
                    if (guaranteeOrder) {
                        queue.muted = true;
                    }
                    size += batchBytes;
                    ready.add(first);
                }
            } while (i != start);
            drainIndex.put(node, i);
            if (!ready.isEmpty()) {
                drained.put(node, ready);
            }
        }
        return drained;
    }

    /** A drained batch ended (delivered, failed or re-enqueued): its partition may send again. */
    void batchLeftFlight(ProducerBatch batch) {
        PartitionQueue queue = queues.get(batch.partition);
        if (queue != null && batch.inFlight) {
            synchronized (queue) {
                batch.inFlight = false;
                queue.inFlight--;
                queue.muted = false;
            }
        }
    }

    /** Puts a batch to retry back at the head of its partition, before any batch of a later sequence. */
    void reenqueue(ProducerBatch batch, long nowMs) {
        batchLeftFlight(batch);
        batch.retried = true;
        batch.attempts++;
        batch.lastAttemptMs = nowMs;
        PartitionQueue queue = queues.computeIfAbsent(batch.partition, p -> new PartitionQueue());
        synchronized (queue) {
            insertInSequenceOrder(queue, batch);
        }
    }

    /**
     * Puts a batch back at the head of its queue: without a sequence simply first, with one before
     * the first batch of a later sequence or without one, so retries and split parts of several
     * requests end up in the order the broker expects.
     */
    private static void insertInSequenceOrder(PartitionQueue queue, ProducerBatch batch) {
        if (batch.baseSequence < 0) {
            queue.batches.addFirst(batch);
            return;
        }
        ArrayDeque<ProducerBatch> reordered = new ArrayDeque<>(queue.batches.size() + 1);
        boolean placed = false;
        for (ProducerBatch queued : queue.batches) {
            if (!placed && (queued.baseSequence < 0 || queued.baseSequence > batch.baseSequence)) {
                reordered.addLast(batch);
                placed = true;
            }
            reordered.addLast(queued);
        }
        if (!placed) {
            reordered.addLast(batch);
        }
        queue.batches.clear();
        queue.batches.addAll(reordered);
    }

    /** Removes and returns queued batches older than {@code deliveryTimeoutMs}; in-flight ones are the sender's. */
    List<ProducerBatch> expire(long deliveryTimeoutMs, long nowMs) {
        List<ProducerBatch> expired = new ArrayList<>();
        for (PartitionQueue queue : queues.values()) {
            synchronized (queue) {
                Iterator<ProducerBatch> it = queue.batches.iterator();
                while (it.hasNext()) {
                    ProducerBatch batch = it.next();
                    if (nowMs - batch.createdMs < deliveryTimeoutMs) {
                        break; // later batches of the partition are younger
                    }
                    batch.close();
                    it.remove();
                    expired.add(batch);
                }
            }
        }
        return expired;
    }

    /** Returns a finished batch's buffer to the pool and forgets the batch. */
    void deallocate(ProducerBatch batch) {
        if (incomplete.remove(batch) && batch.pooled) {
            pool.deallocate(batch.pooledBuffer(), batch.allocatedSize());
        }
    }

    /**
     * Replaces a batch the broker refused as too large by smaller ones, queued at the head of its
     * partition in sequence order; the big batch's memory goes back to the pool.
     */
    void splitAndReenqueue(ProducerBatch big, long nowMs) {
        batchLeftFlight(big);
        // Halves: the broker's limit is unknown, and a part still too large is split again.
        List<ProducerBatch> parts = big.split(Math.max(256, big.pooledBuffer().position() / 2));
        for (int i = parts.size() - 1; i >= 0; i--) {
            ProducerBatch part = parts.get(i);
            part.close();
            incomplete.add(part);
            part.lastAttemptMs = nowMs;
            // Like a retry: with sequences, the parts go one at a time, in order, or a later part
            // could be written ahead of an earlier one that is split again.
            part.retried = true;
            PartitionQueue queue = queues.computeIfAbsent(part.partition, p -> new PartitionQueue());
            synchronized (queue) {
                insertInSequenceOrder(queue, part);
            }
        }
        deallocate(big);
    }

    /** Every batch not yet finished, queued or in flight. */
    List<ProducerBatch> incompleteBatches() {
        return new ArrayList<>(incomplete);
    }

    /**
     * Fails every queued batch with {@code error} (a forced close), running its callbacks and
     * returning its memory; in-flight batches stay the sender's.
     *
     * @return how many records were failed
     */
    public int abortQueued(RuntimeException error) {
        List<ProducerBatch> all = new ArrayList<>();
        for (PartitionQueue queue : queues.values()) {
            synchronized (queue) {
                for (ProducerBatch batch : queue.batches) {
                    batch.close();
                    all.add(batch);
                }
                queue.batches.clear();
            }
        }
        int records = 0;
        for (ProducerBatch batch : all) {
            batch.complete(-1, -1, error);
            records += batch.recordCount();
            deallocate(batch);
        }
        return records;
    }

    public boolean hasUndrained() {
        for (PartitionQueue queue : queues.values()) {
            synchronized (queue) {
                if (!queue.batches.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    public void beginFlush() {
        flushesInProgress.incrementAndGet();
    }

    public void endFlush() {
        flushesInProgress.decrementAndGet();
    }

    /** Waits until every batch that existed when called has finished. */
    public void awaitFlushCompletion() throws InterruptedException {
        for (ProducerBatch batch : incompleteBatches()) {
            batch.result().await();
        }
    }

    boolean appendsInProgress() {
        return appendsInProgress.get() > 0;
    }

    /** Stops taking records; what is queued still drains. */
    public void close() {
        closed = true;
    }

    public BufferPool pool() {
        return pool;
    }

    PartitionQueue queue(TopicPartition partition) {
        return queues.get(partition);
    }
}
