package io.fjord.log;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;

/**
 * The idempotence state of one producer id on one partition: its current epoch and the metadata
 * of its last {@value #NUM_BATCHES_TO_RETAIN} batches, newest last. Kafka keeps five because a
 * producer has at most five requests in flight per connection, so any retry it sends refers to
 * one of them. Mutated only by the partition's writer, under the append lock.
 */
public final class ProducerStateEntry {

    /** Kafka's {@code NUM_BATCHES_TO_RETAIN}. */
    public static final int NUM_BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short producerEpoch;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN);
    private long lastTimestamp = -1L;

    ProducerStateEntry(long producerId, short producerEpoch) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
    }

    /** An independent copy, for staging the changes of an append that may still fail. */
    ProducerStateEntry copy() {
        ProducerStateEntry copy = new ProducerStateEntry(producerId, producerEpoch);
        copy.batches.addAll(batches);
        copy.lastTimestamp = lastTimestamp;
        return copy;
    }

    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    /** The retained batches, oldest first. */
    public List<BatchMetadata> batches() {
        return Collections.unmodifiableList(List.copyOf(batches));
    }

    /** The last sequence written, or -1 if no batch is known. */
    public int lastSeq() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The retained batch with exactly this sequence range, or null. */
    BatchMetadata findBatch(int firstSeq, int lastSeq) {
        for (BatchMetadata b : batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                return b;
            }
        }
        return null;
    }

    /** Records a batch; a new epoch forgets the batches of the old one. */
    void addBatch(short epoch, BatchMetadata batch) {
        if (epoch != producerEpoch) {
            batches.clear();
            producerEpoch = epoch;
        }
        if (batches.size() == NUM_BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastTimestamp = batch.timestamp();
    }
}
