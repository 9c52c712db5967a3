package io.fjord.clienttests;

import io.fjord.api.TopicPartition;
import io.fjord.client.consumer.ConsumerRebalanceListener;
import io.fjord.client.consumer.FjordConsumer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Fjord consumer group member in a process of its own, so a test can kill it without a goodbye:
 * it prints {@code ASSIGNED <partitions>} after each rebalance and polls until killed.
 * Arguments: bootstrap, group, topic, session timeout in ms.
 */
public final class GroupMemberProcess {

    private GroupMemberProcess() {
    }

    public static void main(String[] args) {
        Map<String, Object> config = Map.of("bootstrap.servers", args[0], "group.id", args[1],
                "session.timeout.ms", args[3], "heartbeat.interval.ms", "500",
                "key.deserializer", "string", "value.deserializer", "string", "auto.offset.reset", "earliest");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config)) {
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    TreeSet<String> names = new TreeSet<>();
                    consumer.assignment().forEach(tp -> names.add(tp.toString()));
                    System.out.println("ASSIGNED " + names);
                    System.out.flush();
                }
            });
            while (true) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }
}
