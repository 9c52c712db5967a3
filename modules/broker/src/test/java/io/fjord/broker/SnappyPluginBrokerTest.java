package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.kernel.PluginLoadError;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker whose plugins folder holds the snappy plugin as the build leaves it (the reactor
 * builds {@code plugins/snappy} before this module) and a broken jar: the broken one is reported
 * and skipped, snappy serves topics with {@code compression.type=snappy} and rewrites snappy
 * batches for topics of other codecs.
 */
class SnappyPluginBrokerTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        Path built = Path.of(System.getProperty("fjord.test.snappy.plugin.folder"));
        assertTrue(Files.isDirectory(built), "the snappy plugin folder is built first: " + built);
        Path plugins = dir.resolve("plugins");
        copyFolder(built, plugins.resolve("snappy"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        fixture = BrokerFixture.start(dir.resolve("data"), Map.of("plugin.path", plugins.toString()));
        admin = fixture.admin();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        fixture.close();
    }

    @Test
    void aBrokenPluginIsReportedAndTheOthersLoad() {
        List<PluginLoadError> errors = fixture.broker().pluginLoadErrors();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).location().endsWith("broken.jar"), errors.toString());
        assertNull(fixture.broker().codecs().missingCodec("snappy"));
    }

    @Test
    void idempotentProducersWithSnappyAndWithoutReachASnappyTopic() throws Exception {
        admin.createTopics(List.of(new NewTopic("snappy-topic", 1, (short) 1)
                .configs(Map.of("compression.type", "snappy")))).all().get();
        List<ProducerRecord<byte[], byte[]>> fromSnappy = StoredBatches.records("snappy-topic", "snappy", 300);
        List<ProducerRecord<byte[], byte[]>> fromNone = StoredBatches.records("snappy-topic", "none", 300);
        for (var c : List.of(Map.entry("snappy", fromSnappy), Map.entry("none", fromNone))) {
            try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, c.getKey(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.BATCH_SIZE_CONFIG, 8192))) {
                StoredBatches.sendAll(producer, c.getValue());
            }
        }
        List<String> expected = new ArrayList<>(StoredBatches.valuesOf(fromSnappy));
        expected.addAll(StoredBatches.valuesOf(fromNone));
        assertEquals(expected, StoredBatches.readValues(fixture, "snappy-topic", expected.size()));
        List<String> codecs = StoredBatches.codecsOf(fixture.dataDir(), "snappy-topic");
        assertEquals(Collections.nCopies(codecs.size(), "snappy"), codecs);
    }

    @Test
    void snappyBatchesAreRewrittenForATopicOfAnotherCodec() throws Exception {
        admin.createTopics(List.of(new NewTopic("gzip-topic", 1, (short) 1)
                .configs(Map.of("compression.type", "gzip")))).all().get();
        List<ProducerRecord<byte[], byte[]>> sent = StoredBatches.records("gzip-topic", "s", 200);
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy"))) {
            StoredBatches.sendAll(producer, sent);
        }
        assertEquals(StoredBatches.valuesOf(sent), StoredBatches.readValues(fixture, "gzip-topic", sent.size()));
        List<String> codecs = StoredBatches.codecsOf(fixture.dataDir(), "gzip-topic");
        assertEquals(Collections.nCopies(codecs.size(), "gzip"), codecs);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            files.forEach(f -> {
                try {
                    Files.copy(f, to.resolve(f.getFileName().toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
