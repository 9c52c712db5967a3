package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code queued.max.request.bytes} on a broker: concurrent Kafka producers whose requests are
 * each larger than a third of the pool all succeed, the bytes in flight never pass the limit plus
 * one request, and the pool is empty once they are done.
 */
class RequestMemoryPoolBrokerTest {

    private static final int POOL_BYTES = 256 * 1024;
    private static final int MAX_REQUEST_BYTES = 200 * 1024;

    @TempDir
    Path dir;

    @Test
    void manyLargeProduceRequestsThroughASmallPool() throws Exception {
        try (BrokerFixture fixture = BrokerFixture.start(dir, Map.of(
                "queued.max.request.bytes", Integer.toString(POOL_BYTES)));
             Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic("pooled", 4, (short) 1))).all().get();
            int producers = 4;
            int perProducer = 300;
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int seed = p;
                    done.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
                        for (int i = 0; i < perProducer; i++) {
                            byte[] value = new byte[10_000];
                            random.nextBytes(value);
                            records.add(new ProducerRecord<>("pooled", i % 4, null, value));
                        }
                        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                                ProducerConfig.LINGER_MS_CONFIG, 20))) {
                            StoredBatches.sendAll(producer, records);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long stored = 0;
            for (int partition = 0; partition < 4; partition++) {
                stored += fixture.broker().replicaManager()
                        .partition(new io.fjord.api.TopicPartition("pooled", partition)).log().logEndOffset();
            }
            assertEquals((long) producers * perProducer, stored, "every record was stored");
            var server = fixture.broker().socketServer();
            // A request frame is at most max.request.size plus its header and the client id.
            assertTrue(server.peakRequestBytesInFlight() <= POOL_BYTES + MAX_REQUEST_BYTES + 1024,
                    "peak " + server.peakRequestBytesInFlight());
            assertTrue(server.peakRequestBytesInFlight() > 0, "the pool counted the requests");
            BrokerFixture.waitUntil("the pool to empty", 30_000, () -> server.requestBytesInFlight() == 0);
        }
    }
}
