package io.fjord.clienttests;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.client.consumer.ConsumerRebalanceListener;
import io.fjord.client.consumer.FjordConsumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One consumer of a group on a thread of its own, Fjord's or Kafka's: it polls until stopped,
 * counts every (partition, offset) it reads into a table the group's members share, commits after
 * each poll and before giving partitions up, and records its listener's calls.
 */
abstract class GroupMember implements AutoCloseable {

    /** Reads per "topic-partition@offset", shared by the members of one test. */
    final Map<String, AtomicInteger> reads;
    final List<String> events = new CopyOnWriteArrayList<>();
    final Set<String> assignment = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    volatile Throwable failure;

    GroupMember(String name, Map<String, AtomicInteger> reads) {
        this.reads = reads;
        this.thread = new Thread(this::run, "group-member-" + name);
        thread.setDaemon(true);
    }

    GroupMember startPolling() {
        thread.start();
        return this;
    }

    abstract void subscribe(String topic);

    /** Polls once, counting records; returns how many. */
    abstract int pollOnce();

    abstract void commit();

    abstract void closeConsumer();

    private void run() {
        try {
            while (running) {
                pollOnce();
                commit();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            closeConsumer();
        }
    }

    void read(String topic, int partition, long offset) {
        reads.computeIfAbsent(topic + "-" + partition + "@" + offset, k -> new AtomicInteger()).incrementAndGet();
    }

    void assigned(Collection<String> partitions, String kind) {
        events.add(kind + " " + new java.util.TreeSet<>(partitions));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(60_000);
    }

    /** A Fjord consumer as a member. */
    static final class Fjord extends GroupMember {
        final FjordConsumer<String, String> consumer;

        Fjord(String name, Map<String, AtomicInteger> reads, Map<String, Object> config) {
            super(name, reads);
            this.consumer = new FjordConsumer<>(config);
        }

        @Override
        void subscribe(String topic) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    consumer.commitSync();
                    partitions.forEach(tp -> assignment.remove(tp.toString()));
                    assigned(names(partitions), "revoked");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assignment.add(tp.toString()));
                    assigned(names(partitions), "assigned");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assignment.remove(tp.toString()));
                    assigned(names(partitions), "lost");
                }
            });
        }

        private static List<String> names(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::toString).toList();
        }

        @Override
        int pollOnce() {
            int n = 0;
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                read(r.topic(), r.partition(), r.offset());
                n++;
            }
            return n;
        }

        @Override
        void commit() {
            if (!consumer.assignment().isEmpty()) {
                try {
                    consumer.commitSync();
                } catch (io.fjord.client.consumer.RebalanceInProgressException e) {
                    // Cooperative: partitions are kept while the group rebalances; commit after the next poll.
                }
            }
        }

        @Override
        void closeConsumer() {
            consumer.close();
        }
    }

    /** Apache Kafka's consumer (classic protocol) as a member. */
    static final class Kafka extends GroupMember {
        final org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer;

        Kafka(String name, Map<String, AtomicInteger> reads, Map<String, Object> config) {
            super(name, reads);
            Map<String, Object> c = new HashMap<>(config);
            c.remove("key.deserializer");
            c.remove("value.deserializer");
            this.consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(c,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        }

        @Override
        void subscribe(String topic) {
            consumer.subscribe(List.of(topic), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    consumer.commitSync();
                    partitions.forEach(tp -> assignment.remove(tp.toString()));
                    assigned(partitions.stream().map(Object::toString).toList(), "revoked");
                }

                @Override
                public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    partitions.forEach(tp -> assignment.add(tp.toString()));
                    assigned(partitions.stream().map(Object::toString).toList(), "assigned");
                }
            });
        }

        @Override
        int pollOnce() {
            int n = 0;
            for (org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                read(r.topic(), r.partition(), r.offset());
                n++;
            }
            return n;
        }

        @Override
        void commit() {
            if (!consumer.assignment().isEmpty()) {
                try {
                    consumer.commitSync();
                } catch (org.apache.kafka.common.errors.RebalanceInProgressException e) {
                    // As above: commit after the next poll.
                }
            }
        }

        @Override
        void closeConsumer() {
            consumer.close();
        }
    }
}
