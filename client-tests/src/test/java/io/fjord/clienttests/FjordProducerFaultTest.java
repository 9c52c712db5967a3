package io.fjord.clienttests;

import io.fjord.api.Headers;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;
import io.fjord.api.serialization.SerializationException;
import io.fjord.api.serialization.Serializer;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.errors.RecordTooLargeException;
import io.fjord.client.errors.TimeoutException;
import io.fjord.client.producer.BufferExhaustedException;
import io.fjord.client.producer.FjordProducer;
import io.fjord.common.errors.ApiException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input and faults: each ends every record once, through the future and the callback, with a typed error. */
class FjordProducerFaultTest {

    @TempDir
    Path dataDir;

    /** Counts callback calls per record and keeps the last exception. */
    static final class Outcomes {
        final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<Integer, Exception> errors = new ConcurrentHashMap<>();
        final Map<Integer, RecordMetadata> acked = new ConcurrentHashMap<>();

        io.fjord.client.producer.Callback callback(int record) {
            calls.put(record, new AtomicInteger());
            return (metadata, exception) -> {
                calls.get(record).incrementAndGet();
                if (exception != null) {
                    errors.put(record, exception);
                } else {
                    acked.put(record, metadata);
                }
            };
        }

        void assertEachCalledOnce() {
            calls.forEach((record, count) -> assertEquals(1, count.get(), "callback calls of record " + record));
        }
    }

    private static Map<String, Object> config(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("key.serializer", "string");
        config.put("value.serializer", "string");
        return config;
    }

    private static Exception failureOf(Future<RecordMetadata> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return (Exception) e.getCause();
    }

    private static void createTopic(BrokerFixture broker, String topic, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aThrowingSerializerFailsTheRecordWithASerializationException() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(dataDir)) {
            createTopic(broker, "t", 1);
            Serializer<String> broken = new Serializer<>() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public byte[] serialize(String topic, String data) {
                    if (data == null) {
                        return null;
                    }
                    throw new IllegalStateException("cannot");
                }
            };
            Outcomes outcomes = new Outcomes();
            try (FjordProducer<String, String> producer = new FjordProducer<>(config(broker.bootstrap()), null, broken)) {
                Future<RecordMetadata> future = producer.send(new ProducerRecord<>("t", "k", "v"), outcomes.callback(0));
                assertInstanceOf(SerializationException.class, failureOf(future));
                // The producer goes on: a record its serializer takes still gets through.
                Future<RecordMetadata> good = producer.send(new ProducerRecord<>("t", "k", null));
                assertEquals(0, good.get(30, TimeUnit.SECONDS).offset());
            }
            outcomes.assertEachCalledOnce();
            assertInstanceOf(SerializationException.class, outcomes.errors.get(0));
        }
    }

    @Test
    void aRecordOverMaxRequestSizeFailsWithRecordTooLarge() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(dataDir)) {
            createTopic(broker, "t", 1);
            Map<String, Object> config = config(broker.bootstrap());
            config.put("max.request.size", 1_000);
            Outcomes outcomes = new Outcomes();
            try (FjordProducer<String, String> producer = new FjordProducer<>(config)) {
                Future<RecordMetadata> future = producer.send(new ProducerRecord<>("t", "k", "x".repeat(2_000)),
                        outcomes.callback(0));
                Exception failure = failureOf(future);
                assertInstanceOf(RecordTooLargeException.class, failure);
                assertEquals(io.fjord.common.errors.Errors.MESSAGE_TOO_LARGE, ((ApiException) failure).error());
            }
            outcomes.assertEachCalledOnce();
        }
    }

    @Test
    void aBatchOverTheTopicsMaxMessageBytesIsSplitAndDelivered() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(dataDir)) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("small", 1, (short) 1)
                        .configs(Map.of("max.message.bytes", "3000")))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> config = config(broker.bootstrap());
            config.put("batch.size", 64 * 1024);
            config.put("linger.ms", 200);
            config.put("request.timeout.ms", 5_000);
            config.put("delivery.timeout.ms", 20_000);
            Outcomes outcomes = new Outcomes();
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            try (FjordProducer<String, String> producer = new FjordProducer<>(config)) {
                for (int i = 0; i < 100; i++) {
                    futures.add(producer.send(new ProducerRecord<>("small", "k", i + ":" + "x".repeat(400)),
                            outcomes.callback(i)));
                }
                producer.flush();
            }
            outcomes.assertEachCalledOnce();
            for (int i = 0; i < 100; i++) {
                assertEquals(i, futures.get(i).get(0, TimeUnit.SECONDS).offset(), "record " + i);
                assertEquals(i, outcomes.acked.get(i).offset());
            }
        }
    }

    @Test
    void anUnknownTopicWithAutoCreationOffTimesOutAfterMaxBlock() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(dataDir, Map.of("auto.create.topics.enable", "false"))) {
            Map<String, Object> config = config(broker.bootstrap());
            config.put("max.block.ms", 500);
            Outcomes outcomes = new Outcomes();
            try (FjordProducer<String, String> producer = new FjordProducer<>(config)) {
                long start = System.nanoTime();
                Future<RecordMetadata> future = producer.send(new ProducerRecord<>("missing", "v"), outcomes.callback(0));
                Exception failure = failureOf(future);
                assertInstanceOf(TimeoutException.class, failure);
                assertTrue(failure.getMessage().contains("missing"), failure.getMessage());
                assertTrue(failure.getMessage().contains("UNKNOWN_TOPIC_OR_PARTITION"), failure.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            }
            outcomes.assertEachCalledOnce();
        }
    }

    @Test
    void aBrokerDownAtStartFailsWithATimeoutAndCloseDoesNotHang() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        Map<String, Object> config = config("127.0.0.1:" + deadPort);
        config.put("max.block.ms", 300);
        Outcomes outcomes = new Outcomes();
        FjordProducer<String, String> producer = new FjordProducer<>(config);
        Future<RecordMetadata> future = producer.send(new ProducerRecord<>("t", "v"), outcomes.callback(0));
        assertInstanceOf(TimeoutException.class, failureOf(future));
        long start = System.nanoTime();
        producer.close(Duration.ofMillis(200));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "close took too long");
        outcomes.assertEachCalledOnce();
    }

    @Test
    void aFullBufferFailsWithBufferExhaustedAndCloseFailsWhatIsQueued() throws Exception {
        Outcomes outcomes = new Outcomes();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        FjordProducer<String, String> producer;
        try (BrokerFixture broker = BrokerFixture.start(dataDir)) {
            createTopic(broker, "t", 1);
            Map<String, Object> config = config(broker.bootstrap());
            config.put("batch.size", 1024);
            config.put("buffer.memory", 4096);
            config.put("max.block.ms", 300);
            config.put("request.timeout.ms", 60_000);
            config.put("delivery.timeout.ms", 120_000);
            producer = new FjordProducer<>(config);
            producer.send(new ProducerRecord<>("t", "warm-up")).get(30, TimeUnit.SECONDS);
        }
        // The broker is gone: batches cannot leave, and the 4 KiB of memory fills up.
        Exception exhausted = null;
        for (int i = 0; i < 100 && exhausted == null; i++) {
            Future<RecordMetadata> future = producer.send(new ProducerRecord<>("t", "x".repeat(500)), outcomes.callback(i));
            futures.add(future);
            if (future.isDone()) {
                exhausted = failureOf(future);
            }
        }
        assertNotNull(exhausted, "the buffer never filled up");
        assertInstanceOf(BufferExhaustedException.class, exhausted);
        long start = System.nanoTime();
        producer.close(Duration.ofMillis(500));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "close took too long");
        for (Future<RecordMetadata> future : futures) {
            assertTrue(future.isDone());
            assertNotNull(failureOf(future));
        }
        outcomes.assertEachCalledOnce();
    }

    @Test
    void aBrokerDyingMidRunEndsEveryRecordOnceAndLosesNothingAcknowledged() throws Exception {
        Outcomes outcomes = new Outcomes();
        int count = 20_000;
        String bootstrap;
        BrokerFixture broker = BrokerFixture.start(dataDir);
        try {
            createTopic(broker, "t", 2);
            Map<String, Object> config = config(broker.bootstrap());
            config.put("request.timeout.ms", 1_000);
            config.put("delivery.timeout.ms", 2_000);
            config.put("linger.ms", 0);
            try (FjordProducer<String, String> producer = new FjordProducer<>(config)) {
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>("t", null, null, "k" + i, "v" + i, new Headers()), outcomes.callback(i));
                    if (i == count / 2) {
                        broker.close();
                    }
                }
                producer.flush();
            }
        } finally {
            broker.close();
        }
        outcomes.assertEachCalledOnce();
        assertEquals(count, outcomes.acked.size() + outcomes.errors.size());
        assertTrue(!outcomes.acked.isEmpty() && !outcomes.errors.isEmpty(), "acked " + outcomes.acked.size());
        for (Exception error : outcomes.errors.values()) {
            assertInstanceOf(ApiException.class, error);
        }
        // Every acknowledged record is in the log after a restart.
        try (BrokerFixture restarted = BrokerFixture.start(dataDir);
             KafkaConsumer<byte[], byte[]> consumer = restarted.consumer(Map.of())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("t", 0), new TopicPartition("t", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, String> stored = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            while (stored.size() < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    stored.put(record.partition() + "/" + record.offset(), new String(record.key(), StandardCharsets.UTF_8));
                }
            }
            outcomes.acked.forEach((record, metadata) -> assertEquals("k" + record,
                    stored.get(metadata.topicPartition().partition() + "/" + metadata.offset()),
                    "acknowledged record " + record + " at " + metadata));
        }
    }
}
