package io.fjord.controller;

import io.fjord.api.ConfigException;
import io.fjord.common.errors.Errors;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicConfigsTest {

    /** Kept in Kafka's TopicConfig as a deprecated name, but Kafka 4 brokers no longer accept it. */
    private static final Set<String> REMOVED_IN_KAFKA_4 = Set.of("message.downconversion.enable");

    @Test
    void everyTopicConfigNameOfKafkaIsKnown() throws IllegalAccessException {
        Set<String> kafkaNames = new TreeSet<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_CONFIG")) {
                kafkaNames.add((String) field.get(null));
            }
        }
        kafkaNames.removeAll(REMOVED_IN_KAFKA_4);
        kafkaNames.add("leader.replication.throttled.replicas");
        kafkaNames.add("follower.replication.throttled.replicas");
        assertEquals(kafkaNames, new TreeSet<>(TopicConfigs.names()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "retention.ms|abc|Invalid value abc for configuration retention.ms: Not a number of type LONG",
            "retention.ms|-2|Invalid value -2 for configuration retention.ms: Value must be at least -1",
            "segment.bytes|1000|Invalid value 1000 for configuration segment.bytes: Value must be at least 1048576",
            "segment.bytes|4294967296|Invalid value 4294967296 for configuration segment.bytes: Not a number of type INT",
            "min.insync.replicas|0|Invalid value 0 for configuration min.insync.replicas: Value must be at least 1",
            "min.cleanable.dirty.ratio|1.5|Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1",
            "min.cleanable.dirty.ratio|NaN|Invalid value NaN for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE",
            "preallocate|yes|Invalid value yes for configuration preallocate: Expected value to be either true or false",
            "compression.type|brotli|Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer",
            "message.timestamp.type|createtime|Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime",
            "cleanup.policy|compact,shred|Invalid value compact,shred for configuration cleanup.policy: Invalid item shred; must be one of: compact, delete",
            "cleanup.policy|delete,delete|Invalid value delete,delete for configuration cleanup.policy: Duplicate items are not allowed",
            "compression.gzip.level|0|Invalid value 0 for configuration compression.gzip.level: Value must be -1 (the default level) or between 1 and 9",
            "compression.zstd.level|23|Invalid value 23 for configuration compression.zstd.level: Value must be no more than 22",
            "leader.replication.throttled.replicas|0-1|Invalid value 0-1 for configuration leader.replication.throttled.replicas: must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
            "no.such.config|1|Unknown topic config name: no.such.config",
    })
    void invalidValuesAreRefusedWithKeyAndReason(String key, String value, String message) {
        MetadataException e = assertThrows(MetadataException.class, () -> TopicConfigs.validate(key, value));
        assertEquals(Errors.INVALID_CONFIG, e.error());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "retention.ms|-1", "retention.ms| 86400000 ", "retention.bytes|-5", "cleanup.policy|compact, delete",
            "cleanup.policy|compact", "compression.gzip.level|-1", "compression.gzip.level|9", "compression.zstd.level|-131072",
            "preallocate|TRUE", "min.cleanable.dirty.ratio|0", "leader.replication.throttled.replicas|*",
            "follower.replication.throttled.replicas|0:1,1:1", "message.timestamp.type|LogAppendTime",
            "segment.bytes|1048576", "max.message.bytes|0",
    })
    void validValuesPass(String key, String value) {
        TopicConfigs.validate(key, value);
    }

    @Test
    void nullValueIsRefused() {
        MetadataException e = assertThrows(MetadataException.class, () -> TopicConfigs.validate("retention.ms", null));
        assertEquals(Errors.INVALID_CONFIG, e.error());
        assertTrue(e.getMessage().contains("retention.ms"), e.getMessage());
    }

    @Test
    void compactionLagsMustBeOrdered() {
        TopicConfigs configs = TopicConfigs.forBroker(Map.of());
        MetadataException e = assertThrows(MetadataException.class, () -> configs.validateAll(
                Map.of("min.compaction.lag.ms", "100", "max.compaction.lag.ms", "10")));
        assertEquals(Errors.INVALID_CONFIG, e.error());
        assertEquals("conflict topic config setting min.compaction.lag.ms (100) > max.compaction.lag.ms (10)", e.getMessage());
        // The broker default of the other side takes part too.
        TopicConfigs broker = TopicConfigs.forBroker(Map.of("log.cleaner.max.compaction.lag.ms", "50"));
        assertThrows(MetadataException.class, () -> broker.validateAll(Map.of("min.compaction.lag.ms", "60")));
        broker.validateAll(Map.of("min.compaction.lag.ms", "50"));
    }

    @Test
    void describeReportsSourcesAndBrokerSynonyms() {
        TopicConfigs configs = TopicConfigs.forBroker(Map.of(
                "log.retention.hours", "2", "log.segment.bytes", "2097152", "log.roll.ms", "1000", "log.roll.hours", "5"));
        Map<String, ConfigEntry> byName = new java.util.HashMap<>();
        for (ConfigEntry entry : configs.describe(Map.of("cleanup.policy", "compact", "segment.bytes", "3145728"))) {
            byName.put(entry.name(), entry);
        }
        assertEquals(TopicConfigs.names(), byName.keySet());
        assertEquals(List.of("retention.ms", Long.toString(2 * 3_600_000L), ConfigSource.STATIC_BROKER_CONFIG), seen(byName.get("retention.ms")));
        assertEquals(List.of("segment.bytes", "3145728", ConfigSource.DYNAMIC_TOPIC_CONFIG), seen(byName.get("segment.bytes")));
        assertEquals(List.of("cleanup.policy", "compact", ConfigSource.DYNAMIC_TOPIC_CONFIG), seen(byName.get("cleanup.policy")));
        // log.roll.ms wins over log.roll.hours, as in Kafka.
        assertEquals(List.of("segment.ms", "1000", ConfigSource.STATIC_BROKER_CONFIG), seen(byName.get("segment.ms")));
        assertEquals(List.of("max.message.bytes", "1048588", ConfigSource.DEFAULT_CONFIG), seen(byName.get("max.message.bytes")));
        assertTrue(byName.get("max.message.bytes").isDefault());
        assertFalse(byName.get("retention.ms").isDefault());
        // Synonyms: the override, the broker settings under their own names and units, then Kafka's defaults.
        assertEquals(List.of(new ConfigSynonym("log.retention.hours", "2", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigSynonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG)),
                byName.get("retention.ms").synonyms());
        assertEquals(List.of(new ConfigSynonym("segment.bytes", "3145728", ConfigSource.DYNAMIC_TOPIC_CONFIG),
                new ConfigSynonym("log.segment.bytes", "2097152", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigSynonym("log.segment.bytes", "1073741824", ConfigSource.DEFAULT_CONFIG)),
                byName.get("segment.bytes").synonyms());
        assertEquals(List.of(new ConfigSynonym("log.roll.ms", "1000", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigSynonym("log.roll.hours", "5", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigSynonym("log.roll.hours", "168", ConfigSource.DEFAULT_CONFIG)),
                byName.get("segment.ms").synonyms());
        assertEquals(List.of(), byName.get("flush.ms").synonyms(), "log.flush.interval.ms has no default of its own");
        assertEquals(ConfigSource.DEFAULT_CONFIG, byName.get("flush.ms").source());
        assertEquals(ConfigType.LIST, byName.get("cleanup.policy").type());
        assertEquals(ConfigType.LONG, byName.get("retention.ms").type());
    }

    private static List<Object> seen(ConfigEntry entry) {
        return List.of(entry.name(), entry.value(), entry.source());
    }

    @Test
    void invalidBrokerDefaultFailsAtStart() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TopicConfigs.forBroker(Map.of("log.segment.bytes", "10")));
        assertTrue(e.getMessage().contains("log.segment.bytes") && e.getMessage().contains("at least 1048576"), e.getMessage());
        assertThrows(ConfigException.class, () -> TopicConfigs.forBroker(Map.of("log.retention.hours", "9223372036854775807")));
    }

    @Test
    void listParsingFollowsKafka() {
        assertEquals(java.util.List.of(), TopicConfigs.parseList("  "));
        assertEquals(java.util.List.of("a", "b"), TopicConfigs.parseList(" a , b "));
        assertTrue(TopicConfigs.isList("cleanup.policy"));
        assertFalse(TopicConfigs.isList("retention.ms"));
    }

    @Test
    void dynamicSettingsComeBeforeStaticOnesAndInvalidDynamicOnesAreSkipped() {
        TopicConfigs configs = TopicConfigs.forBroker(Map.of("log.retention.hours", "2", "log.segment.bytes", "2097152"),
                Map.of("log.retention.ms", "5000", "log.segment.bytes", "10"), Map.of("message.max.bytes", "4000"));
        assertEquals(List.of("retention.ms", "5000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                seen(configs.brokerDefault("retention.ms")));
        assertEquals(List.of("max.message.bytes", "4000", ConfigSource.DYNAMIC_BROKER_CONFIG),
                seen(configs.brokerDefault("max.message.bytes")));
        // log.segment.bytes=10 breaks segment.bytes' minimum: ignored, the static value applies.
        assertEquals(List.of("segment.bytes", "2097152", ConfigSource.STATIC_BROKER_CONFIG),
                seen(configs.brokerDefault("segment.bytes")));
    }

    @Test
    void brokerSettingsAreCheckedByTheirTopicConfigsRules() {
        assertEquals("Value must be at least 1048576", TopicConfigs.brokerSettingProblem("log.segment.bytes", "10"));
        assertEquals("Not a number of type LONG", TopicConfigs.brokerSettingProblem("log.retention.ms", "x"));
        assertEquals("String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer",
                TopicConfigs.brokerSettingProblem("compression.type", "brotli"));
        assertNull(TopicConfigs.brokerSettingProblem("log.retention.ms", "-1"));
        assertNull(TopicConfigs.brokerSettingProblem("num.io.threads", "x"), "not a topic default");
    }
}
