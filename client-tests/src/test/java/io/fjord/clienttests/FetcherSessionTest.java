package io.fjord.clienttests;

import io.fjord.api.TopicPartition;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.consumer.ConsumerConfig;
import io.fjord.client.consumer.internals.ConsumerMetadata;
import io.fjord.client.consumer.internals.ConsumerMetrics;
import io.fjord.client.consumer.internals.ConsumerNetwork;
import io.fjord.client.consumer.internals.Fetcher;
import io.fjord.client.consumer.internals.SubscriptionState;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.client.serialization.ByteArrayDeserializer;
import io.fjord.protocol.record.CodecRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fetcher's session with a real broker, step by step on the test's thread, so the one
 * interleaving that matters is forced: a fetch response the I/O thread has queued but the
 * application's thread has not taken in. Until it is taken in, the session handler still holds
 * the epoch that response answered; a request built then would open a second session (or reuse
 * the epoch), so none may be sent.
 */
class FetcherSessionTest {

    private static final String TOPIC = "session-race";

    @TempDir
    Path dataDir;

    @Test
    void noFetchLeavesBeforeTheLastResponseIsTakenIn() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(dataDir, Map.of())) {
            try (Admin admin = BrokerFixture.admin(broker.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> producer = BrokerFixture.producer(broker.bootstrap(), Map.of())) {
                for (int p = 0; p < 2; p++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, new byte[16]));
                }
                producer.flush();
            }
            ConsumerConfig config = new ConsumerConfig(Map.of("bootstrap.servers", broker.bootstrap(),
                    "key.deserializer", "byte-array", "value.deserializer", "byte-array", "fetch.max.wait.ms", "50"));
            NetworkClient client = new NetworkClient(NetworkClientConfig.defaults("fetcher-session-test"));
            try {
                String[] hostPort = broker.bootstrap().split(":");
                client.setNode(-1, hostPort[0], Integer.parseInt(hostPort[1]));
                ConsumerNetwork network = new ConsumerNetwork(client);
                ConsumerMetadata metadata = new ConsumerMetadata(client, new int[] {-1}, 300_000, false);
                metadata.setTopics(Set.of(TOPIC), false);
                SubscriptionState subscriptions = new SubscriptionState(ConsumerConfig.OffsetReset.EARLIEST);
                List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
                subscriptions.assignFromUser(partitions);
                partitions.forEach(tp -> subscriptions.seek(tp, 0, Optional.empty()));
                Fetcher<byte[], byte[]> fetcher = new Fetcher<>(config, metadata, subscriptions, network, CodecRegistry.NONE,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer(), new ConsumerMetrics(30_000, 2));

                int[] sent = {0};
                waitUntil("the first, full fetch to leave", 30_000, () -> {
                    metadata.maybeUpdate(network, System.currentTimeMillis());
                    sent[0] = fetcher.sendFetches();
                    network.await(20, () -> false);
                    return sent[0] == 1;
                });
                waitUntil("its response to be queued", 30_000, fetcher::hasAvailableFetches);

                assertEquals(0, fetcher.sendFetches(), "a fetch built before the response is taken in");
                assertArrayEquals(new long[] {1, 0}, fetcher.sessionRequestCounts());

                fetcher.processArrived();
                assertEquals(2, fetcher.collect(10).values().stream().mapToInt(List::size).sum());
                assertEquals(1, fetcher.sendFetches(), "the next fetch, once the response is in");
                waitUntil("the incremental fetch to be answered", 30_000, fetcher::hasAvailableFetches);
                fetcher.processArrived();
                assertArrayEquals(new long[] {1, 1}, fetcher.sessionRequestCounts());
                assertEquals(1, broker.broker().fetchSessionMetrics().sessions(), broker.broker().fetchSessionMetrics().toString());
                assertEquals(1, broker.broker().fetchSessionMetrics().fullRequests());
            } finally {
                client.close(Duration.ofSeconds(5));
            }
        }
    }
}
