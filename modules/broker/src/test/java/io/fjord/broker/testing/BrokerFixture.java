package io.fjord.broker.testing;

import io.fjord.broker.Broker;
import io.fjord.broker.BrokerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** A real broker on 127.0.0.1 with a free port and its data in a temporary folder, and Kafka clients for it. */
public final class BrokerFixture implements AutoCloseable {

    private final Path dataDir;
    private final Broker broker;

    private BrokerFixture(Path dataDir, Map<String, String> extra) throws Exception {
        this.dataDir = dataDir;
        Map<String, String> props = new HashMap<>();
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", dataDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        // Groups form at once and tolerate the short session timeouts tests use.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.min.session.timeout.ms", "1000");
        props.putAll(extra);
        this.broker = new Broker(BrokerConfig.of(props));
        broker.start();
    }

    public static BrokerFixture start(Path dataDir) throws Exception {
        return new BrokerFixture(dataDir, Map.of());
    }

    /** A broker with {@code extra} settings on top of the fixture's. */
    public static BrokerFixture start(Path dataDir, Map<String, String> extra) throws Exception {
        return new BrokerFixture(dataDir, extra);
    }

    public Broker broker() {
        return broker;
    }

    /** The broker's log.dirs. */
    public Path dataDir() {
        return dataDir;
    }

    public String bootstrap() {
        return "127.0.0.1:" + broker.boundPort();
    }

    public Admin admin() {
        return admin(bootstrap());
    }

    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        return producer(bootstrap(), overrides);
    }

    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> overrides) {
        return consumer(bootstrap(), overrides);
    }

    /** An admin client for the broker at {@code bootstrap}, this fixture's or a forked one. */
    public static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** An idempotent acks=all producer for the broker at {@code bootstrap}, with {@code overrides} on top. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(overrides);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer reading from the earliest offset without auto-commit, with {@code overrides} on top. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls {@code condition} until it holds, failing after {@code timeoutMs}. */
    public static void waitUntil(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        waitUntil(() -> what, timeoutMs, condition);
    }

    /**
     * Polls {@code condition} until it holds, failing after {@code timeoutMs} with the description
     * {@code what} gives at that moment, so the failure shows the state that was not reached.
     */
    public static void waitUntil(Supplier<String> what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what.get());
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws Exception {
        broker.shutdown();
    }
}
