package io.fjord.broker;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Kafka consumer in a group, owned by a thread of its own that polls it without pause as an
 * application would (a member rejoins a rebalance only from inside {@code poll}). Other threads
 * read what it received, its assignment and the rebalance callbacks it saw, and run actions on
 * the polling thread, since the consumer itself is not thread-safe.
 */
final class PolledConsumer implements AutoCloseable {

    /** One record as this member received it. */
    record Received(TopicPartition partition, long offset, String value) {
    }

    /** One call of the rebalance listener, in the order the consumer made them. */
    record RebalanceEvent(Kind kind, Set<TopicPartition> partitions) {
        enum Kind { ASSIGNED, REVOKED, LOST }
    }

    private static final Duration POLL = Duration.ofMillis(20);
    private static final long CALL_TIMEOUT_S = 60;

    final String name;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final BlockingQueue<FutureTask<?>> actions = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<RebalanceEvent> events = new CopyOnWriteArrayList<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile Throwable failure;
    private volatile boolean running = true;
    private volatile CloseOptions.GroupMembershipOperation onClose = CloseOptions.GroupMembershipOperation.DEFAULT;

    private PolledConsumer(String name, KafkaConsumer<byte[], byte[]> consumer, Collection<String> topics) {
        this.name = name;
        this.consumer = consumer;
        this.thread = new Thread(() -> run(topics), "polled-consumer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Subscribes {@code consumer} to {@code topics} and polls it from now on; the consumer belongs to this object. */
    static PolledConsumer subscribe(String name, KafkaConsumer<byte[], byte[]> consumer, Collection<String> topics) {
        return new PolledConsumer(name, consumer, topics);
    }

    private void run(Collection<String> topics) {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.add(new RebalanceEvent(RebalanceEvent.Kind.REVOKED, Set.copyOf(partitions)));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.add(new RebalanceEvent(RebalanceEvent.Kind.ASSIGNED, Set.copyOf(partitions)));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    events.add(new RebalanceEvent(RebalanceEvent.Kind.LOST, Set.copyOf(partitions)));
                }
            });
            while (running) {
                FutureTask<?> action;
                while ((action = actions.poll()) != null) {
                    action.run();
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    received.add(new Received(new TopicPartition(r.topic(), r.partition()), r.offset(),
                            new String(r.value(), StandardCharsets.UTF_8)));
                }
                assignment = Set.copyOf(consumer.assignment());
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            FutureTask<?> action;
            while ((action = actions.poll()) != null) {
                action.cancel(false);
            }
            consumer.close(CloseOptions.groupMembershipOperation(onClose).withTimeout(Duration.ofSeconds(30)));
        }
    }

    /** Runs {@code action} on the polling thread between two polls and returns its result. */
    <T> T call(Function<KafkaConsumer<byte[], byte[]>, T> action) throws InterruptedException {
        if (!thread.isAlive()) {
            throw new AssertionError(name + " no longer polls", failure);
        }
        FutureTask<T> task = new FutureTask<>(() -> action.apply(consumer));
        actions.add(task);
        try {
            return task.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            fail(name + ": an action on the polling thread did not finish in " + CALL_TIMEOUT_S + " s; failure: " + failure);
            throw new AssertionError(e);
        }
    }

    /** The partitions assigned after the last poll. */
    Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Every record received so far, in the order received. */
    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Every rebalance callback so far, in order. */
    List<RebalanceEvent> events() {
        return new ArrayList<>(events);
    }

    /** The exception that ended the polling thread, or null while it polls or after a clean stop. */
    Throwable failure() {
        return failure;
    }

    /** Fails if the polling thread ended with an exception. */
    void assertHealthy() {
        if (failure != null) {
            throw new AssertionError(name + " failed while polling", failure);
        }
    }

    /** Stops polling and closes the consumer the way Kafka's client closes by default: a dynamic member leaves the group. */
    @Override
    public void close() throws InterruptedException {
        stop(CloseOptions.GroupMembershipOperation.DEFAULT);
    }

    /**
     * Stops polling and closes the consumer without a LeaveGroup, as if its process had died:
     * the group learns only from the missing heartbeats.
     */
    void closeWithoutLeaving() throws InterruptedException {
        stop(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
    }

    private void stop(CloseOptions.GroupMembershipOperation operation) throws InterruptedException {
        if (!thread.isAlive()) {
            return;
        }
        onClose = operation;
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_S));
        if (thread.isAlive()) {
            fail(name + " did not close in " + CALL_TIMEOUT_S + " s");
        }
    }
}
