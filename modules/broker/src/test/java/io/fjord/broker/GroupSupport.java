package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the consumer-group tests share: broker and consumer settings that make a rebalance take
 * milliseconds instead of Kafka's default seconds, and small helpers for topics, records and
 * group views.
 */
final class GroupSupport {

    /**
     * The broker's group settings: a short wait for the first joiners, short sessions allowed,
     * and a small {@code __consumer_offsets} (Kafka's 50 partitions cost each test's broker time
     * to create; four still spread the groups over several partitions).
     */
    static final Map<String, String> BROKER_SETTINGS = Map.of(
            "offsets.topic.num.partitions", "4",
            "group.initial.rebalance.delay.ms", "100",
            "group.min.session.timeout.ms", "500",
            "group.max.session.timeout.ms", "60000");

    static final int MIN_SESSION_TIMEOUT_MS = 500;
    static final int MAX_SESSION_TIMEOUT_MS = 60_000;
    /** The consumers' session: short, so a dead member is noticed quickly, but many heartbeats long. */
    static final int SESSION_TIMEOUT_MS = 3_000;
    /** Every wait for a group to settle ends after this, with a failure that shows the state reached. */
    static final long SETTLE_TIMEOUT_MS = 60_000;

    private GroupSupport() {
    }

    /**
     * A classic-protocol consumer in {@code groupId} named {@code clientId}, reading from the
     * earliest offset without auto-commit, with the range assignor, short sessions and frequent
     * heartbeats; {@code overrides} on top.
     */
    static KafkaConsumer<byte[], byte[]> groupConsumer(String bootstrap, String groupId, String clientId,
                                                       Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 100);
        // Sent as the rebalance timeout: how long the coordinator waits for members to rejoin.
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        config.putAll(overrides);
        return BrokerFixture.consumer(bootstrap, config);
    }

    /** A polled member of {@code groupId} subscribed to {@code topic}, named {@code clientId}. */
    static PolledConsumer member(String bootstrap, String groupId, String clientId, String topic,
                                 Map<String, Object> overrides) {
        return PolledConsumer.subscribe(clientId, groupConsumer(bootstrap, groupId, clientId, overrides), List.of(topic));
    }

    static void createTopic(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }

    static Set<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
    }

    /**
     * Sends {@code count} records {@code prefix-i} round-robin over the partitions, waits for every
     * acknowledgement and returns the values in order.
     */
    static List<String> produce(KafkaProducer<byte[], byte[]> producer, String topic, int partitions, String prefix,
                                int count) throws Exception {
        List<String> values = new ArrayList<>();
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            values.add(value);
            acks.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, value.getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<?> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
        return values;
    }

    /** The group's committed offsets by partition, as Kafka's admin client lists them. */
    static Map<TopicPartition, Long> committed(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
        Map<TopicPartition, Long> result = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        offsets.forEach((tp, om) -> {
            if (om != null) {
                result.put(tp, om.offset());
            }
        });
        return result;
    }

    /** The log end offsets of {@code partitions}, from the broker. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> result = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        admin.listOffsets(specs).all().get(60, TimeUnit.SECONDS).forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    static ConsumerGroupDescription describe(Admin admin, String groupId) throws Exception {
        return admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get(60, TimeUnit.SECONDS);
    }

    /** Each member's assigned partitions by client id, as the coordinator describes the group. */
    static Map<String, Set<TopicPartition>> describedAssignments(Admin admin, String groupId) throws Exception {
        Map<String, Set<TopicPartition>> result = new TreeMap<>();
        for (MemberDescription member : describe(admin, groupId).members()) {
            result.put(member.clientId(), member.assignment().topicPartitions());
        }
        return result;
    }

    /**
     * True when the members' assignments are pairwise disjoint, each of exactly {@code perMember}
     * partitions (when not negative), and together cover {@code all}.
     */
    static boolean splits(Collection<PolledConsumer> members, Set<TopicPartition> all, int perMember) {
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (PolledConsumer member : members) {
            Set<TopicPartition> own = member.assignment();
            if (perMember >= 0 && own.size() != perMember) {
                return false;
            }
            union.addAll(own);
            total += own.size();
        }
        return total == all.size() && union.equals(all);
    }

    /** The members' assignments, for failure messages. */
    static String assignments(Collection<PolledConsumer> members) {
        StringBuilder text = new StringBuilder();
        for (PolledConsumer member : members) {
            member.assertHealthy();
            text.append(member.name).append('=')
                    .append(member.assignment().stream().map(TopicPartition::toString).sorted().toList()).append(' ');
        }
        return text.toString().trim();
    }

    /** Unwraps the cause of a failed admin future. */
    static Throwable failureOf(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return null;
    }
}
