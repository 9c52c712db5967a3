package io.fjord.broker;

import io.fjord.api.ConfigException;
import io.fjord.controller.TopicImage;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The produce path's codec decision: the caller's very buffer when nothing is to be rewritten
 * (the topic keeps the producer's codec, or the batches are in the topic's codec already), a new
 * one only when a batch is in another codec; the topic's override wins over the broker's setting.
 */
class BrokerCodecsTest {

    private static final UUID ID = new UUID(1, 1);

    private static ByteBuffer batch(Compression compression) {
        return MemoryRecords.withRecords(compression, new SimpleRecord(1L, null, "a value".getBytes()),
                new SimpleRecord(2L, null, "another value".getBytes())).buffer();
    }

    private static TopicImage topic(Map<String, String> configs) {
        return new TopicImage("t", ID, false, List.of(), configs);
    }

    @Test
    void onlyABatchInAnotherCodecIsCopied() {
        try (BrokerCodecs codecs = BrokerCodecs.load(null, Map.of("compression.type", "lz4"))) {
            ByteBuffer lz4 = batch(Compression.lz4().build());
            ByteBuffer gzip = batch(Compression.gzip().build());

            assertSame(gzip, codecs.toTopicCodec(topic(Map.of("compression.type", "producer")), gzip, 1 << 20));
            assertSame(lz4, codecs.toTopicCodec(topic(Map.of()), lz4, 1 << 20), "the broker's lz4 applies");
            ByteBuffer rewritten = codecs.toTopicCodec(topic(Map.of()), gzip, 1 << 20);
            assertNotSame(gzip, rewritten);
            assertEquals(3, MemoryRecords.readableRecords(rewritten).batches().iterator().next()
                    .compressionType().id, "lz4");
            ByteBuffer plain = codecs.toTopicCodec(topic(Map.of("compression.type", "uncompressed")), gzip, 1 << 20);
            assertEquals(0, MemoryRecords.readableRecords(plain).batches().iterator().next().compressionType().id);
        }
    }

    @Test
    void missingCodecsAreNamedAndTheOthersAreNot() {
        try (BrokerCodecs codecs = BrokerCodecs.load(null, Map.of())) {
            for (String type : List.of("producer", "uncompressed", "gzip", "lz4", "zstd")) {
                assertNull(codecs.missingCodec(type), type);
            }
            String snappy = codecs.missingCodec("snappy");
            assertTrue(snappy.contains("snappy plugin") && snappy.contains("plugin.path is not set"), snappy);
            assertTrue(codecs.loadErrors().isEmpty(), codecs.loadErrors().toString());
        }
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> BrokerCodecs.load(null, Map.of("compression.type", "brotli")));
        assertTrue(unknown.getMessage().contains("compression.type"), unknown.getMessage());
    }
}
