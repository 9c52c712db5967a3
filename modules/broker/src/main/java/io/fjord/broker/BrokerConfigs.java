package io.fjord.broker;

import io.fjord.controller.ConfigType;
import io.fjord.coordinator.GroupCoordinatorConfig;
import io.fjord.network.NetworkConfig;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every broker setting Fjord reads, under Kafka's name, with its type, Kafka's default (null where
 * Kafka has none), whether Kafka lets it change at run time and at which level, and a line of
 * documentation. Fjord's own settings ({@code fjord.*}) are static.
 *
 * <p>The dynamic ones are Kafka's (its {@code DynamicBrokerConfig.AllDynamicConfigs}) among the
 * settings listed here: the broker names of topic config defaults, the log cleaner's, the thread
 * counts and the connection limits; the listener settings may only be set per broker.
 */
final class BrokerConfigs {

    /** Whether and where a setting may change at run time. */
    enum Update {
        /** Only in {@code server.properties}: Kafka reports it read-only. */
        READ_ONLY,
        /** Per broker or as the cluster-wide default. */
        CLUSTER_WIDE,
        /** Per broker only: the default level refuses it. */
        PER_BROKER
    }

    record Definition(ConfigType type, String kafkaDefault, Update update, long min, String documentation) {

        boolean dynamic() {
            return update != Update.READ_ONLY;
        }
    }

    /** No lower bound. */
    private static final long ANY = Long.MIN_VALUE;
    private static final String LONG_MAX = Long.toString(Long.MAX_VALUE);
    private static final String INT_MAX = Integer.toString(Integer.MAX_VALUE);

    private static final Map<String, Definition> DEFINITIONS;

    static {
        Map<String, Definition> d = new TreeMap<>();
        Update ro = Update.READ_ONLY;
        Update cw = Update.CLUSTER_WIDE;
        Update pb = Update.PER_BROKER;
        put(d, "node.id", ConfigType.INT, null, ro, "The id of this node in the cluster.");
        put(d, "broker.id", ConfigType.INT, "-1", ro, "The older name of node.id.");
        put(d, "listeners", ConfigType.STRING, "PLAINTEXT://:9092", pb, "The addresses the broker listens on.");
        put(d, "advertised.listeners", ConfigType.STRING, null, ro, "The addresses clients are told to connect to.");
        put(d, "listener.security.protocol.map", ConfigType.STRING,
                "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT", pb,
                "The security protocol of each listener name.");
        put(d, "log.dirs", ConfigType.STRING, null, ro, "The folders holding the partition logs.");
        put(d, "log.dir", ConfigType.STRING, "/tmp/kafka-logs", ro, "The log folder when log.dirs is not set.");
        put(d, "metadata.log.dir", ConfigType.STRING, null, ro, "The folder of the cluster metadata; the first log dir when unset.");
        put(d, "num.partitions", ConfigType.INT, "1", ro, "Partitions of a topic created without a count.");
        put(d, "default.replication.factor", ConfigType.INT, "1", ro, "Replicas of a topic created without a factor.");
        put(d, "auto.create.topics.enable", ConfigType.BOOLEAN, "true", ro, "Whether naming an unknown topic creates it.");
        put(d, "delete.topic.enable", ConfigType.BOOLEAN, "true", ro, "Whether topics may be deleted.");
        put(d, "offsets.topic.num.partitions", ConfigType.INT, "50", ro, "Partitions of __consumer_offsets.");
        put(d, "offsets.topic.replication.factor", ConfigType.SHORT, "3", ro, "Replicas of __consumer_offsets.");
        put(d, "offsets.topic.segment.bytes", ConfigType.INT, "104857600", ro, "Segment size of __consumer_offsets.");
        put(d, "message.max.bytes", ConfigType.INT, "1048588", cw, 0,
                "The largest record batch a topic accepts unless it sets max.message.bytes.");
        put(d, "min.insync.replicas", ConfigType.INT, "1", cw, 1,
                "Replicas that must acknowledge an acks=all write, unless the topic sets its own.");
        put(d, "max.request.partition.size.limit", ConfigType.INT, "2000", ro,
                "The most partitions DescribeTopicPartitions answers at once.");
        put(d, "max.incremental.fetch.session.cache.slots", ConfigType.INT, "1000", ro,
                "The most incremental fetch sessions the broker keeps.");
        put(d, NetworkConfig.NUM_NETWORK_THREADS, ConfigType.INT, "3", cw, 1, "Threads reading and writing sockets.");
        put(d, NetworkConfig.NUM_IO_THREADS, ConfigType.INT, "8", cw, 1, "Threads handling requests.");
        put(d, NetworkConfig.QUEUED_MAX_REQUESTS, ConfigType.INT, "500", ro, "Requests queued for the handlers before reads stop.");
        put(d, NetworkConfig.QUEUED_MAX_REQUEST_BYTES, ConfigType.LONG, "-1", ro, "Bytes of queued requests before reads stop; -1 for no limit.");
        put(d, NetworkConfig.SOCKET_REQUEST_MAX_BYTES, ConfigType.INT, "104857600", ro, "The largest request accepted.");
        put(d, NetworkConfig.MAX_CONNECTIONS, ConfigType.INT, INT_MAX, cw, 0, "Connections accepted at once.");
        put(d, "max.connections.per.ip", ConfigType.INT, INT_MAX, cw, 0, "Connections accepted at once from one address.");
        put(d, "max.connections.per.ip.overrides", ConfigType.STRING, "", cw, "Per-address exceptions to max.connections.per.ip.");
        put(d, "max.connection.creation.rate", ConfigType.INT, INT_MAX, cw, 0, "New connections accepted per second.");
        put(d, NetworkConfig.CONNECTIONS_MAX_IDLE_MS, ConfigType.LONG, "600000", ro, "Idle time after which a connection is closed.");
        put(d, NetworkConfig.SOCKET_SEND_BUFFER_BYTES, ConfigType.INT, "102400", ro, "The socket send buffer; -1 for the OS default.");
        put(d, NetworkConfig.SOCKET_RECEIVE_BUFFER_BYTES, ConfigType.INT, "102400", ro, "The socket receive buffer; -1 for the OS default.");
        put(d, "background.threads", ConfigType.INT, "10", cw, 1, "Threads for background work.");
        put(d, "num.replica.fetchers", ConfigType.INT, "1", cw, ANY, "Threads fetching from each leader broker.");
        put(d, "num.recovery.threads.per.data.dir", ConfigType.INT, "2", cw, 1, "Threads per log dir recovering logs at start.");
        put(d, "log.segment.bytes", ConfigType.INT, "1073741824", cw, "The size at which a segment is rolled.");
        put(d, "log.roll.ms", ConfigType.LONG, null, cw, "The age at which a segment is rolled; log.roll.hours when unset.");
        put(d, "log.roll.hours", ConfigType.INT, "168", ro, "The age in hours at which a segment is rolled.");
        put(d, "log.roll.jitter.ms", ConfigType.LONG, null, cw, "The most random time taken off the roll age; log.roll.jitter.hours when unset.");
        put(d, "log.roll.jitter.hours", ConfigType.INT, "0", ro, "The most random time in hours taken off the roll age.");
        put(d, "log.retention.ms", ConfigType.LONG, null, cw, "How long records are kept; log.retention.minutes when unset; -1 for ever.");
        put(d, "log.retention.minutes", ConfigType.INT, null, ro, "How long in minutes records are kept; log.retention.hours when unset.");
        put(d, "log.retention.hours", ConfigType.INT, "168", ro, "How long in hours records are kept.");
        put(d, "log.retention.bytes", ConfigType.LONG, "-1", cw, "The most bytes a partition keeps; -1 for no limit.");
        put(d, "log.retention.check.interval.ms", ConfigType.LONG, "300000", ro, "How often retention runs.");
        put(d, "log.cleanup.policy", ConfigType.LIST, "delete", cw, "delete, compact or both: what happens to old segments.");
        put(d, "log.index.interval.bytes", ConfigType.INT, "4096", cw, "Bytes between offset index entries.");
        put(d, "log.index.size.max.bytes", ConfigType.INT, "10485760", cw, "The largest offset index of a segment.");
        put(d, "log.local.retention.ms", ConfigType.LONG, "-2", cw, "How long records stay on local disk with tiered storage; -2 for log.retention.ms.");
        put(d, "log.local.retention.bytes", ConfigType.LONG, "-2", cw, "The most local bytes with tiered storage; -2 for log.retention.bytes.");
        put(d, "log.message.timestamp.type", ConfigType.STRING, "CreateTime", cw, "CreateTime or LogAppendTime: which time records carry.");
        put(d, "log.message.timestamp.before.max.ms", ConfigType.LONG, LONG_MAX, cw, "How far in the past a record's time may be.");
        put(d, "log.message.timestamp.after.max.ms", ConfigType.LONG, "3600000", cw, "How far in the future a record's time may be.");
        put(d, "log.flush.interval.messages", ConfigType.LONG, LONG_MAX, cw, "Records appended between forced flushes.");
        put(d, "log.flush.interval.ms", ConfigType.LONG, null, cw, "The most time records wait before a flush; log.flush.scheduler.interval.ms when unset.");
        put(d, "log.flush.scheduler.interval.ms", ConfigType.LONG, LONG_MAX, ro, "How often logs are checked for a needed flush.");
        put(d, "log.flush.offset.checkpoint.interval.ms", ConfigType.INT, "60000", ro, "How often the recovery points are written.");
        put(d, "log.flush.start.offset.checkpoint.interval.ms", ConfigType.INT, "60000", ro, "How often the log start offsets are written.");
        put(d, "log.segment.delete.delay.ms", ConfigType.LONG, "60000", cw, "How long a deleted segment's files stay before removal.");
        put(d, "log.preallocate", ConfigType.BOOLEAN, "false", cw, "Whether new segment files are allocated at full size.");
        put(d, "log.cleaner.enable", ConfigType.BOOLEAN, "true", ro, "Whether the log cleaner runs.");
        put(d, "log.cleaner.threads", ConfigType.INT, "1", cw, 0, "Threads compacting logs.");
        put(d, "log.cleaner.dedupe.buffer.size", ConfigType.LONG, "134217728", cw, ANY, "Memory for the cleaners' key maps.");
        put(d, "log.cleaner.io.buffer.size", ConfigType.INT, "524288", cw, 0, "Memory for the cleaners' I/O buffers.");
        put(d, "log.cleaner.io.buffer.load.factor", ConfigType.DOUBLE, "0.9", cw, ANY, "How full a cleaner's key map may get.");
        put(d, "log.cleaner.io.max.bytes.per.second", ConfigType.DOUBLE, Double.toString(Double.MAX_VALUE), cw, ANY,
                "The cleaners' combined I/O rate limit.");
        put(d, "log.cleaner.backoff.ms", ConfigType.LONG, "15000", cw, 0, "Sleep of a cleaner with nothing to clean.");
        put(d, "log.cleaner.delete.retention.ms", ConfigType.LONG, "86400000", cw, "How long delete markers of compacted logs are kept.");
        put(d, "log.cleaner.min.compaction.lag.ms", ConfigType.LONG, "0", cw, "The least age of a record before it is compacted.");
        put(d, "log.cleaner.max.compaction.lag.ms", ConfigType.LONG, LONG_MAX, cw, "The most age of a record before it must be compacted.");
        put(d, "log.cleaner.min.cleanable.ratio", ConfigType.DOUBLE, "0.5", cw, "The dirty share of a log that makes it worth cleaning.");
        put(d, "replica.high.watermark.checkpoint.interval.ms", ConfigType.LONG, "5000", ro, "How often high watermarks are written.");
        put(d, "producer.id.expiration.ms", ConfigType.INT, "86400000", cw, 1, "Idle time after which a producer id's state is dropped.");
        put(d, "producer.id.expiration.check.interval.ms", ConfigType.INT, "600000", ro, "How often idle producer ids are looked for.");
        put(d, "compression.type", ConfigType.STRING, "producer", cw, "The codec topics store batches in; producer keeps the producer's.");
        put(d, "compression.gzip.level", ConfigType.INT, "-1", cw, "The gzip level when the broker compresses.");
        put(d, "compression.lz4.level", ConfigType.INT, "9", cw, "The lz4 level when the broker compresses.");
        put(d, "compression.zstd.level", ConfigType.INT, "3", cw, "The zstd level when the broker compresses.");
        put(d, "unclean.leader.election.enable", ConfigType.BOOLEAN, "false", cw, "Whether a replica out of sync may become leader.");
        put(d, "metric.reporters", ConfigType.LIST, "", cw, "Classes that receive the broker's metrics.");
        put(d, "zookeeper.connect", ConfigType.STRING, null, ro, "The ZooKeeper ensemble of a cluster; unset for a single node.");
        put(d, "zookeeper.session.timeout.ms", ConfigType.INT, "18000", ro, "The ZooKeeper session time-out.");
        put(d, "zookeeper.connection.timeout.ms", ConfigType.INT, null, ro,
                "The wait for a ZooKeeper connection; the session time-out when unset.");
        put(d, "zookeeper.max.in.flight.requests", ConfigType.INT, "10", ro, "ZooKeeper requests sent before answers come.");
        put(d, "broker.rack", ConfigType.STRING, null, ro, "The rack of the broker, for replica placement.");
        put(d, "controlled.shutdown.enable", ConfigType.BOOLEAN, "true", ro,
                "Whether the broker hands its leaderships over before it stops.");
        put(d, "controlled.shutdown.max.retries", ConfigType.INT, "3", ro, "Attempts of a controlled shutdown.");
        put(d, "controlled.shutdown.retry.backoff.ms", ConfigType.LONG, "5000", ro, "The wait between those attempts.");
        put(d, "controller.socket.timeout.ms", ConfigType.INT, "30000", ro, "The time-out of the controller's requests.");
        put(d, "group.initial.rebalance.delay.ms", ConfigType.INT, "3000", ro, "The wait for more members before a new group's first rebalance.");
        put(d, "group.min.session.timeout.ms", ConfigType.INT, "6000", ro, "The shortest session time-out a member may ask for.");
        put(d, "group.max.session.timeout.ms", ConfigType.INT, "1800000", ro, "The longest session time-out a member may ask for.");
        put(d, "group.max.size", ConfigType.INT, INT_MAX, ro, "The most members of a group.");
        put(d, "offsets.retention.minutes", ConfigType.INT, "10080", ro, "How long committed offsets of an empty group are kept.");
        put(d, "offsets.retention.check.interval.ms", ConfigType.LONG, "600000", ro, "How often expired offsets are looked for.");
        put(d, "offset.metadata.max.bytes", ConfigType.INT, "4096", ro, "The longest metadata of a committed offset.");
        put(d, "offsets.commit.timeout.ms", ConfigType.INT, "5000", ro, "How long an offset commit waits to be written.");
        put(d, "offsets.load.buffer.size", ConfigType.INT, "5242880", ro, "The read size when loading offsets.");
        put(d, BrokerConfig.PLUGIN_PATH, ConfigType.LIST, null, ro, "The plugins folder (Fjord reads one).");
        DEFINITIONS = Collections.unmodifiableMap(d);
        for (String key : GroupCoordinatorConfig.KEYS) {
            if (!DEFINITIONS.containsKey(key)) {
                throw new ExceptionInInitializerError("no definition of the coordinator's setting " + key);
            }
        }
    }

    private static void put(Map<String, Definition> d, String name, ConfigType type, String kafkaDefault, Update update,
                            String documentation) {
        put(d, name, type, kafkaDefault, update, ANY, documentation);
    }

    private static void put(Map<String, Definition> d, String name, ConfigType type, String kafkaDefault, Update update,
                            long min, String documentation) {
        d.put(name, new Definition(type, kafkaDefault, update, min, documentation));
    }

    private BrokerConfigs() {
    }

    /** Whether Fjord reads a broker setting of that name (Fjord's own {@code fjord.*} keys included). */
    static boolean isKnown(String key) {
        return DEFINITIONS.containsKey(key) || key.startsWith("fjord.");
    }

    /** The definition of a setting Kafka defines, or null for {@code fjord.*} and unknown names. */
    static Definition definition(String key) {
        return DEFINITIONS.get(key);
    }

    /** Every setting Kafka defines that Fjord knows, sorted by name. */
    static Map<String, Definition> definitions() {
        return DEFINITIONS;
    }

    /**
     * The names one setting can be given by, highest precedence first, as Kafka lists synonyms:
     * the millisecond, minute and hour forms of retention, roll and jitter, and the scheduler's
     * interval behind {@code log.flush.interval.ms}; any other setting is its own only synonym.
     */
    static List<String> synonyms(String key) {
        return switch (key) {
            case "log.roll.ms", "log.roll.hours" -> List.of("log.roll.ms", "log.roll.hours");
            case "log.roll.jitter.ms", "log.roll.jitter.hours" -> List.of("log.roll.jitter.ms", "log.roll.jitter.hours");
            case "log.flush.interval.ms" -> List.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms");
            case "log.retention.ms", "log.retention.minutes", "log.retention.hours" ->
                    List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours");
            default -> List.of(key);
        };
    }
}
