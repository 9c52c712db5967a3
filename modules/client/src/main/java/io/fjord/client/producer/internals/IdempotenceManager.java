package io.fjord.client.producer.internals;

import io.fjord.api.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/**
 * The idempotent producer's state: the producer id and epoch from InitProducerId, and per partition
 * the next sequence to hand out and the last one acknowledged. Sequences are stamped on batches
 * when they are drained; a retried batch keeps its sequence, so the broker drops a duplicate and
 * refuses a gap.
 *
 * <p>Invariants (sender thread only): while a retried batch of a partition waits, nothing else of
 * that partition is in flight, so retries go out in sequence order; a partition's first batch of
 * an epoch is alone in flight until acknowledged; the epoch is bumped only with
 * nothing in flight, and the bump restarts every partition's sequences at 0 (batches stamped with
 * the old epoch are stamped again when drained).
 */
final class IdempotenceManager {

    private static final class Sequences {
        int next;
        int lastAcked = -1;
    }

    private long producerId = -1;
    private short epoch = -1;
    private boolean bumpNeeded;
    private final Map<TopicPartition, Sequences> sequences = new HashMap<>();

    boolean hasProducerId() {
        return producerId >= 0;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    void setProducerId(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
        sequences.clear();
        bumpNeeded = false;
    }

    /** Whether {@code batch}, its partition's head, may be drained now. */
    boolean mayDrain(ProducerBatch batch, RecordAccumulator.PartitionQueue queue) {
        if (!hasProducerId() || bumpNeeded) {
            return false;
        }
        if (batch.retried && queue.inFlight > 0) {
            return false;
        }
        Sequences known = sequences.get(batch.partition);
        if (queue.inFlight > 0 && (known == null || known.lastAcked < 0)) {
            // Until the broker acknowledged a first batch, it takes any sequence as the start: a
            // later batch landing before a failed first one would be written ahead of it.
            return false;
        }
        return true;
    }

    /** Stamps a sealed batch taken for sending with the next sequence, unless it has one of this epoch. */
    void drained(ProducerBatch batch) {
        if (batch.baseSequence < 0 || batch.producerEpoch != epoch || batch.producerId != producerId) {
            Sequences s = sequences.computeIfAbsent(batch.partition, p -> new Sequences());
            batch.stamp(producerId, epoch, s.next);
            s.next += batch.recordCount();
        }
    }

    void acknowledged(ProducerBatch batch) {
        if (batch.producerEpoch != epoch) {
            return;
        }
        Sequences s = sequences.get(batch.partition);
        if (s != null) {
            s.lastAcked = Math.max(s.lastAcked, batch.baseSequence + batch.recordCount() - 1);
        }
    }

    /**
     * Whether the broker's OUT_OF_ORDER_SEQUENCE_NUMBER for {@code batch} is one retrying cannot
     * fix: the batch is next after the last acknowledged one (so no earlier failure explains it), or
     * the broker already moved past its sequence.
     */
    boolean isRealGap(ProducerBatch batch) {
        Sequences s = sequences.get(batch.partition);
        int lastAcked = s == null ? -1 : s.lastAcked;
        return batch.producerEpoch == epoch && batch.baseSequence <= lastAcked + 1;
    }

    /** Asks for a new epoch once nothing is in flight (a gap that retries cannot close). */
    void requestEpochBump() {
        bumpNeeded = true;
    }

    boolean bumpNeeded() {
        return bumpNeeded;
    }

    /** Bumps the epoch locally; at the epoch's limit a new producer id is needed instead. */
    void bumpEpoch() {
        bumpNeeded = false;
        sequences.clear();
        if (epoch == Short.MAX_VALUE) {
            producerId = -1;
            epoch = -1;
        } else {
            epoch++;
        }
    }
}
