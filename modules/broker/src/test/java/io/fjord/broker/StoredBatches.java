package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** What a broker stored, read from its segment files by Kafka's own {@code FileRecords}, and helpers to produce and read back. */
final class StoredBatches {

    private StoredBatches() {
    }

    /** The codec name (Kafka's {@code CompressionType.name}) of each batch of partition 0, CRCs checked. */
    static List<String> codecsOf(Path dataDir, String topic) throws IOException {
        List<String> codecs = new ArrayList<>();
        Path segment = dataDir.resolve(topic + "-0").resolve("00000000000000000000.log");
        try (FileRecords records = FileRecords.open(segment.toFile())) {
            for (FileChannelRecordBatch batch : records.batches()) {
                batch.ensureValid();
                codecs.add(batch.compressionType().name);
            }
        }
        return codecs;
    }

    /** {@code count} compressible values for {@code topic}, partition 0, tagged with {@code tag}. */
    static List<ProducerRecord<byte[], byte[]>> records(String topic, String tag, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = (tag + "-" + i + " ").repeat(20);
            records.add(new ProducerRecord<>(topic, 0, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    /** Sends every record and waits for every acknowledgement. */
    static void sendAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            futures.add(producer.send(r));
        }
        for (Future<RecordMetadata> f : futures) {
            f.get();
        }
    }

    /** The values of partition 0 of {@code topic} from the beginning, {@code count} of them, as strings. */
    static List<String> readValues(BrokerFixture fixture, String topic, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(java.util.Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    static List<String> valuesOf(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
