package io.fjord.clustertests;

import java.util.ArrayList;
import java.util.List;

/**
 * What the clients of a fault test saw, recorded as it happened: each value the producer was
 * asked to send, each acknowledgement (partition, offset, value), each failure reported for a
 * value, and each record a consumer read (partition, offset, value). Values are unique per
 * attempt, so an acknowledgement and a read can be matched to what was sent.
 *
 * <p>Thread safety: every method is synchronized; the producer's callbacks and the consumer
 * threads record concurrently, the checker reads a copy once the clients are closed.
 */
final class History {

    record Ack(int partition, long offset, String value) {
    }

    record Failure(int partition, String value, String error) {
    }

    record Read(String consumer, int partition, long offset, String value) {
    }

    private final List<String> sent = new ArrayList<>();
    private final List<Ack> acks = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();

    synchronized void sent(String value) {
        sent.add(value);
    }

    synchronized void acked(int partition, long offset, String value) {
        acks.add(new Ack(partition, offset, value));
    }

    synchronized void failed(int partition, String value, Exception error) {
        failures.add(new Failure(partition, value, error.getClass().getSimpleName() + ": " + error.getMessage()));
    }

    synchronized void read(String consumer, int partition, long offset, String value) {
        reads.add(new Read(consumer, partition, offset, value));
    }

    synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    synchronized List<Read> reads() {
        return List.copyOf(reads);
    }

    synchronized int ackCount() {
        return acks.size();
    }

    synchronized int readCount() {
        return reads.size();
    }

    @Override
    public synchronized String toString() {
        return sent.size() + " sent, " + acks.size() + " acknowledged, " + failures.size() + " failed, "
                + reads.size() + " read";
    }
}
