package io.fjord.broker;

import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ConfigSource;
import io.fjord.controller.ConfigSynonym;
import io.fjord.controller.ConfigType;
import io.fjord.coordinator.GroupCoordinatorConfig;
import io.fjord.network.NetworkConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every broker setting Fjord reads, under Kafka's name, with its type and Kafka's default (null
 * where Kafka has none): what DescribeConfigs lists for the broker, each with its value, where the
 * value comes from ({@code server.properties} or the default) and both as synonyms. Fjord's own
 * settings ({@code fjord.*}) are listed when set.
 */
final class BrokerConfigs {

    private record Definition(ConfigType type, String kafkaDefault) {
    }

    private static final Map<String, Definition> DEFINITIONS;

    static {
        Map<String, Definition> d = new TreeMap<>();
        d.put("node.id", new Definition(ConfigType.INT, null));
        d.put("broker.id", new Definition(ConfigType.INT, "-1"));
        d.put("listeners", new Definition(ConfigType.STRING, "PLAINTEXT://:9092"));
        d.put("advertised.listeners", new Definition(ConfigType.STRING, null));
        d.put("listener.security.protocol.map", new Definition(ConfigType.STRING,
                "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT"));
        d.put("log.dirs", new Definition(ConfigType.STRING, null));
        d.put("log.dir", new Definition(ConfigType.STRING, "/tmp/kafka-logs"));
        d.put("metadata.log.dir", new Definition(ConfigType.STRING, null));
        d.put("num.partitions", new Definition(ConfigType.INT, "1"));
        d.put("default.replication.factor", new Definition(ConfigType.INT, "1"));
        d.put("auto.create.topics.enable", new Definition(ConfigType.BOOLEAN, "true"));
        d.put("delete.topic.enable", new Definition(ConfigType.BOOLEAN, "true"));
        d.put("offsets.topic.num.partitions", new Definition(ConfigType.INT, "50"));
        d.put("offsets.topic.replication.factor", new Definition(ConfigType.SHORT, "3"));
        d.put("offsets.topic.segment.bytes", new Definition(ConfigType.INT, "104857600"));
        d.put("message.max.bytes", new Definition(ConfigType.INT, "1048588"));
        d.put("min.insync.replicas", new Definition(ConfigType.INT, "1"));
        d.put("max.request.partition.size.limit", new Definition(ConfigType.INT, "2000"));
        d.put(NetworkConfig.NUM_NETWORK_THREADS, new Definition(ConfigType.INT, "3"));
        d.put(NetworkConfig.NUM_IO_THREADS, new Definition(ConfigType.INT, "8"));
        d.put(NetworkConfig.QUEUED_MAX_REQUESTS, new Definition(ConfigType.INT, "500"));
        d.put(NetworkConfig.QUEUED_MAX_REQUEST_BYTES, new Definition(ConfigType.LONG, "-1"));
        d.put(NetworkConfig.SOCKET_REQUEST_MAX_BYTES, new Definition(ConfigType.INT, "104857600"));
        d.put(NetworkConfig.MAX_CONNECTIONS, new Definition(ConfigType.INT, "2147483647"));
        d.put(NetworkConfig.CONNECTIONS_MAX_IDLE_MS, new Definition(ConfigType.LONG, "600000"));
        d.put(NetworkConfig.SOCKET_SEND_BUFFER_BYTES, new Definition(ConfigType.INT, "102400"));
        d.put(NetworkConfig.SOCKET_RECEIVE_BUFFER_BYTES, new Definition(ConfigType.INT, "102400"));
        d.put("log.segment.bytes", new Definition(ConfigType.INT, "1073741824"));
        d.put("log.roll.ms", new Definition(ConfigType.LONG, null));
        d.put("log.roll.hours", new Definition(ConfigType.INT, "168"));
        d.put("log.roll.jitter.ms", new Definition(ConfigType.LONG, null));
        d.put("log.roll.jitter.hours", new Definition(ConfigType.INT, "0"));
        d.put("log.retention.ms", new Definition(ConfigType.LONG, null));
        d.put("log.retention.minutes", new Definition(ConfigType.INT, null));
        d.put("log.retention.hours", new Definition(ConfigType.INT, "168"));
        d.put("log.retention.bytes", new Definition(ConfigType.LONG, "-1"));
        d.put("log.retention.check.interval.ms", new Definition(ConfigType.LONG, "300000"));
        d.put("log.cleanup.policy", new Definition(ConfigType.LIST, "delete"));
        d.put("log.index.interval.bytes", new Definition(ConfigType.INT, "4096"));
        d.put("log.index.size.max.bytes", new Definition(ConfigType.INT, "10485760"));
        d.put("log.message.timestamp.type", new Definition(ConfigType.STRING, "CreateTime"));
        d.put("log.message.timestamp.before.max.ms", new Definition(ConfigType.LONG, Long.toString(Long.MAX_VALUE)));
        d.put("log.message.timestamp.after.max.ms", new Definition(ConfigType.LONG, "3600000"));
        d.put("log.flush.interval.messages", new Definition(ConfigType.LONG, Long.toString(Long.MAX_VALUE)));
        d.put("log.flush.interval.ms", new Definition(ConfigType.LONG, null));
        d.put("log.flush.scheduler.interval.ms", new Definition(ConfigType.LONG, Long.toString(Long.MAX_VALUE)));
        d.put("log.flush.offset.checkpoint.interval.ms", new Definition(ConfigType.INT, "60000"));
        d.put("log.flush.start.offset.checkpoint.interval.ms", new Definition(ConfigType.INT, "60000"));
        d.put("log.segment.delete.delay.ms", new Definition(ConfigType.LONG, "60000"));
        d.put("log.preallocate", new Definition(ConfigType.BOOLEAN, "false"));
        d.put("log.cleaner.delete.retention.ms", new Definition(ConfigType.LONG, "86400000"));
        d.put("log.cleaner.min.compaction.lag.ms", new Definition(ConfigType.LONG, "0"));
        d.put("log.cleaner.max.compaction.lag.ms", new Definition(ConfigType.LONG, Long.toString(Long.MAX_VALUE)));
        d.put("log.cleaner.min.cleanable.ratio", new Definition(ConfigType.DOUBLE, "0.5"));
        d.put("log.cleaner.enable", new Definition(ConfigType.BOOLEAN, "true"));
        d.put("log.cleaner.threads", new Definition(ConfigType.INT, "1"));
        d.put("log.cleaner.dedupe.buffer.size", new Definition(ConfigType.LONG, "134217728"));
        d.put("log.cleaner.io.buffer.size", new Definition(ConfigType.INT, "524288"));
        d.put("log.cleaner.io.buffer.load.factor", new Definition(ConfigType.DOUBLE, "0.9"));
        d.put("log.cleaner.io.max.bytes.per.second", new Definition(ConfigType.DOUBLE, Double.toString(Double.MAX_VALUE)));
        d.put("log.cleaner.backoff.ms", new Definition(ConfigType.LONG, "15000"));
        d.put("replica.high.watermark.checkpoint.interval.ms", new Definition(ConfigType.LONG, "5000"));
        d.put("num.recovery.threads.per.data.dir", new Definition(ConfigType.INT, "2"));
        d.put("producer.id.expiration.ms", new Definition(ConfigType.INT, "86400000"));
        d.put("producer.id.expiration.check.interval.ms", new Definition(ConfigType.INT, "600000"));
        d.put("compression.type", new Definition(ConfigType.STRING, "producer"));
        d.put("compression.gzip.level", new Definition(ConfigType.INT, "-1"));
        d.put("compression.lz4.level", new Definition(ConfigType.INT, "9"));
        d.put("compression.zstd.level", new Definition(ConfigType.INT, "3"));
        d.put("unclean.leader.election.enable", new Definition(ConfigType.BOOLEAN, "false"));
        d.put("group.initial.rebalance.delay.ms", new Definition(ConfigType.INT, "3000"));
        d.put("group.min.session.timeout.ms", new Definition(ConfigType.INT, "6000"));
        d.put("group.max.session.timeout.ms", new Definition(ConfigType.INT, "1800000"));
        d.put("group.max.size", new Definition(ConfigType.INT, "2147483647"));
        d.put("offsets.retention.minutes", new Definition(ConfigType.INT, "10080"));
        d.put("offsets.retention.check.interval.ms", new Definition(ConfigType.LONG, "600000"));
        d.put("offset.metadata.max.bytes", new Definition(ConfigType.INT, "4096"));
        d.put("offsets.commit.timeout.ms", new Definition(ConfigType.INT, "5000"));
        d.put("offsets.load.buffer.size", new Definition(ConfigType.INT, "5242880"));
        d.put(BrokerConfig.PLUGIN_PATH, new Definition(ConfigType.LIST, null));
        DEFINITIONS = Collections.unmodifiableMap(d);
        for (String key : GroupCoordinatorConfig.KEYS) {
            if (!DEFINITIONS.containsKey(key)) {
                throw new ExceptionInInitializerError("no definition of the coordinator's setting " + key);
            }
        }
    }

    private BrokerConfigs() {
    }

    /** Whether Fjord reads a broker setting of that name (Fjord's own {@code fjord.*} keys included). */
    static boolean isKnown(String key) {
        return DEFINITIONS.containsKey(key) || key.startsWith("fjord.");
    }

    /**
     * The broker's settings as DescribeConfigs lists them, sorted by name: every known setting,
     * plus Fjord's own ones that are set; only {@code keys} when not null.
     */
    static List<ConfigEntry> describe(Map<String, String> properties, Collection<String> keys) {
        Map<String, Definition> all = new TreeMap<>(DEFINITIONS);
        properties.keySet().stream().filter(k -> k.startsWith("fjord."))
                .forEach(k -> all.put(k, new Definition(ConfigType.STRING, null)));
        List<ConfigEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Definition> e : all.entrySet()) {
            String name = e.getKey();
            if (keys != null && !keys.contains(name)) {
                continue;
            }
            Definition def = e.getValue();
            List<ConfigSynonym> synonyms = new ArrayList<>(2);
            String set = properties.get(name);
            if (set != null) {
                synonyms.add(new ConfigSynonym(name, set, ConfigSource.STATIC_BROKER_CONFIG));
            }
            if (def.kafkaDefault() != null) {
                synonyms.add(new ConfigSynonym(name, def.kafkaDefault(), ConfigSource.DEFAULT_CONFIG));
            }
            ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
            String value = set != null ? set : def.kafkaDefault();
            entries.add(new ConfigEntry(name, value, source, def.type(), synonyms));
        }
        return entries;
    }
}
