package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.ClusterMember;
import io.fjord.controller.BrokerNode;
import io.fjord.controller.ConfigEntry;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.MetadataListener;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.SingleNodeMetadataStore;
import io.fjord.controller.TopicConfigs;
import io.fjord.controller.TopicImage;
import io.fjord.controller.TopicNames;
import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.coordinator.CoordinatorException;
import io.fjord.coordinator.GroupCoordinator;
import io.fjord.kernel.PluginLoadError;
import io.fjord.log.CleanerConfig;
import io.fjord.log.LogConfig;
import io.fjord.log.LogManager;
import io.fjord.log.LogManagerConfig;
import io.fjord.log.PartitionLog;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.network.NetworkConfig;
import io.fjord.network.RequestMetrics;
import io.fjord.network.SocketServer;
import io.fjord.common.errors.Errors;
import io.fjord.replication.Partition;
import io.fjord.replication.ReplicaManager;
import io.fjord.replication.ReplicationSettings;
import io.fjord.timer.Timer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A single-node broker: the metadata store, the partition logs, the replica manager, the group
 * coordinator and the socket server, wired together.
 *
 * <p>Lifecycle: {@link #start()} loads the codecs (built-in and from the plugins folder), opens
 * the metadata and the logs (recovering them after an unclean stop), leads every partition of
 * every topic, starts the group coordinator (which replays {@code __consumer_offsets} in the
 * background), then binds the listener; it prints nothing. {@link #shutdown()} answers parked
 * joins and syncs, stops accepting, lets requests in flight finish, answers parked fetches,
 * then closes the logs cleanly (flush, checkpoints, clean-shutdown marker) and the
 * metadata store. A broker is started at most once.
 *
 * <p>Topic changes reach the logs through a {@link MetadataListener}: created topics and
 * partitions get their logs before the admin request is answered; deleted topics have their log
 * folders renamed at once and their files removed later in the background, and their committed
 * offsets removed from every group (a deleted {@code __consumer_offsets} takes the groups with it
 * and is created again on next use); changed configs apply to the open logs at once.
 */
public final class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private final BrokerConfig config;
    private final Path defaultPluginsFolder;
    private BrokerCodecs codecs;
    private MetadataStore metadataStore;
    private BrokerConfigAdmin brokerConfigAdmin;
    /** The topic config defaults of this broker's settings, static and dynamic; replaced when they change. */
    private volatile TopicConfigs topicDefaults;
    private ThreadScheduler scheduler;
    private LogManager logManager;
    private ReplicaManager replicaManager;
    private ClusterReplicaLinks replicaLinks;
    private ProducerIdManager producerIdManager;
    private GroupCoordinator groupCoordinator;
    private FetchSessionCache fetchSessions;
    private volatile SocketServer socketServer;
    private ClusterSettings cluster;
    private ClusterMember member;
    // From the settings in effect at start: a dynamic listeners setting applies from there.
    private volatile String advertisedHost;
    private volatile int advertisedPort;
    private boolean started;
    private boolean stopped;

    /** A broker that loads plugins only from {@code plugin.path}, if set. */
    public Broker(BrokerConfig config) {
        this(config, null);
    }

    /**
     * A broker that loads plugins from {@code plugin.path}, or from {@code defaultPluginsFolder}
     * (an installation's {@code plugins/} folder; null for none) when that is not set.
     */
    public Broker(BrokerConfig config, Path defaultPluginsFolder) {
        this.config = config;
        this.defaultPluginsFolder = defaultPluginsFolder;
    }

    /**
     * Opens the data and starts serving.
     *
     * @throws IOException when the log dirs cannot be read or written
     * @throws io.fjord.api.ConfigException for settings that only fail when applied
     * @throws IllegalStateException if the broker was started before
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (started) {
            throw new IllegalStateException("a broker is started once");
        }
        started = true;
        Path pluginsFolder = config.pluginPath() != null ? config.pluginPath() : defaultPluginsFolder;
        codecs = BrokerCodecs.load(pluginsFolder, config.properties());
        for (PluginLoadError error : codecs.loadErrors()) {
            LOG.warning("Plugin " + error.location() + " failed to load: " + error.reason());
        }
        // server.properties alone until the metadata with the dynamic settings is read.
        topicDefaults = TopicConfigs.forBroker(config.properties());
        cluster = ClusterSettings.from(config.properties());
        scheduler = new ThreadScheduler(2, "fjord-background-");
        logManager = new LogManager(config.logDirs(), tp -> logConfig(tp.topic()),
                LogManagerConfig.fromProperties(config.properties()), CleanerConfig.fromProperties(config.properties()),
                codecs.readers(), Time.SYSTEM, scheduler);
        ClusterReplicas clusterReplicas = null;
        if (cluster.clustered()) {
            CoordinationEngine engine = CoordinationEngines.zookeeper(codecs.runtime(), cluster, pluginsFolder);
            replicaLinks = new ClusterReplicaLinks();
            replicaManager = new ReplicaManager(config.nodeId(), logManager, this::notHostedError,
                    ReplicationSettings.from(config.properties()), replicaLinks, Time.SYSTEM);
            clusterReplicas = new ClusterReplicas(config.nodeId(), replicaManager, this::minInsyncReplicas,
                    config.controllerConfig().offsetsTopicNumPartitions());
            member = ClusterMember.join(engine, config.controllerConfig(), clusterReplicas,
                    cluster.controllerSocketTimeoutMs(), cluster.controllerSocketTimeoutMs());
            metadataStore = member.store();
            replicaLinks.bind(member);
            producerIdManager = new ProducerIdManager(() -> member.session()
                    .allocateProducerIds(config.nodeId(), (int) ProducerIdManager.BLOCK_SIZE).firstId());
        } else {
            metadataStore = SingleNodeMetadataStore.open(config.controllerConfig());
            producerIdManager = new ProducerIdManager(config.controllerConfig().metadataLogDir());
            replicaManager = new ReplicaManager(config.nodeId(), logManager);
        }
        // The dynamic settings kept in the metadata apply from the start, over server.properties.
        BrokerConfigLayers layers = BrokerConfigLayers.of(config.properties(), metadataStore.image().brokerConfigs(),
                config.nodeId());
        BrokerConfig settings = BrokerConfig.of(layers.effective());
        topicDefaults = topicDefaults(layers);
        codecs.updateBrokerSettings(settings.properties());
        brokerConfigAdmin = new BrokerConfigAdmin(metadataStore, config.properties(), config.nodeId(), codecs);
        logManager.startup();
        if (!cluster.clustered()) {
            for (TopicImage topic : metadataStore.image().topicsByName().values()) {
                leadPartitions(topic, 0);
            }
            for (PartitionLog log : logManager.allLogs()) {
                if (replicaManager.partition(log.topicPartition()) == null) {
                    // The log of a topic deleted before the last stop finished removing it.
                    logManager.deleteLog(log.topicPartition());
                }
            }
        }
        metadataStore.addListener(new LogUpdater());
        groupCoordinator = new GroupCoordinator(config.groupCoordinatorConfig(), replicaManager, this::createOffsetsTopic,
                this::partitionExists, Time.SYSTEM, new Timer("group-coordinator"), scheduler);
        if (cluster.clustered()) {
            clusterReplicas.bind(member, groupCoordinator);
            groupCoordinator.startupInCluster();
        } else {
            TopicImage offsetsTopic = metadataStore.image().topic(TopicNames.CONSUMER_OFFSETS);
            groupCoordinator.startup(offsetsTopic == null ? 0 : offsetsTopic.partitionCount());
        }
        groupCoordinator.startTimerReaper();
        socketServer = new SocketServer(settings.networkConfig(), new RequestDispatcher(apiFamilies(settings))).start();
        advertisedHost = settings.advertisedHost();
        advertisedPort = settings.advertisedPort() != 0 ? settings.advertisedPort() : socketServer.boundAddress().getPort();
        if (member != null) {
            member.register(new ClusterMember.Identity(config.nodeId(), advertisedHost, advertisedPort,
                    cluster.rack()));
        }
    }

    /** In a cluster, a partition this broker does not host but the cluster has is led elsewhere. */
    private Errors notHostedError(TopicPartition tp) {
        TopicImage topic = metadataStore.image().topic(tp.topic());
        return topic != null && topic.partition(tp.partition()) != null ? Errors.NOT_LEADER_OR_FOLLOWER
                : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /** The handlers of every API family, each given the parts of the broker it needs. */
    private List<ApiFamily> apiFamilies(BrokerConfig settings) {
        LocalNode node = new LocalNode() {
            @Override
            public int id() {
                return config.nodeId();
            }

            @Override
            public String host() {
                return advertisedHost;
            }

            @Override
            public int port() {
                return advertisedPort;
            }
        };
        PartitionLookup partitions = new PartitionLookup() {
            @Override
            public Partition partitionFor(TopicPartition tp) {
                return Broker.this.partitionFor(tp);
            }

            @Override
            public Errors notServedError(TopicPartition tp) {
                Partition hosted = replicaManager.partition(tp);
                return hosted != null && !hosted.isLeader() ? Errors.NOT_LEADER_OR_FOLLOWER : notHostedError(tp);
            }
        };
        int maxDecompressedBatchBytes = settings.networkConfig().socketRequestMaxBytes();
        fetchSessions = new FetchSessionCache(config.maxIncrementalFetchSessionCacheSlots(),
                FetchSessionCache.EVICTION_MS, System::currentTimeMillis);
        List<ApiFamily> families = new ArrayList<>(List.of(
                new MetadataHandler(metadataStore, node, cluster.clustered()),
                new DescribeTopicPartitionsHandler(metadataStore, config.maxRequestPartitionSizeLimit()),
                new ProduceHandler(metadataStore, replicaManager, partitions, codecs, maxDecompressedBatchBytes),
                new FetchHandler(replicaManager, partitions, metadataStore::image, fetchSessions),
                new ListOffsetsHandler(partitions),
                new OffsetForLeaderEpochHandler(partitions),
                new LogDirsHandler(config.logDirs(), logManager::allLogs),
                new TopicAdminHandler(metadataStore, partitions, codecs, () -> topicDefaults),
                new ConfigHandler(metadataStore, brokerConfigAdmin, codecs),
                new ProducerIdHandler(producerIdManager),
                new GroupHandler(groupCoordinator, this::coordinatorNode),
                new OffsetHandler(groupCoordinator)));
        if (member != null) {
            families.add(new ClusterHandler(member));
        }
        return families;
    }

    /**
     * The broker coordinating {@code groupId}: this node alone, or in a cluster the leader of the
     * group's {@code __consumer_offsets} partition (null when it has none now).
     */
    private BrokerNode coordinatorNode(String groupId) {
        MetadataImage image = metadataStore.image();
        if (!cluster.clustered()) {
            return new BrokerNode(config.nodeId(), advertisedHost, advertisedPort, null);
        }
        TopicImage offsets = image.topic(TopicNames.CONSUMER_OFFSETS);
        if (offsets == null) {
            return null;
        }
        PartitionImage p = offsets.partition(GroupCoordinator.partitionFor(groupId, offsets.partitionCount()));
        return p == null || p.leader() < 0 ? null : image.brokers().get(p.leader());
    }

    /**
     * Stops the broker cleanly; safe to call more than once and on a broker that failed to start.
     * Requests in flight get up to 30 seconds to finish.
     */
    public synchronized void shutdown() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        if (member != null && cluster.controlledShutdown()) {
            // Kafka's controlled shutdown: leadership moves away first, so clients see no error.
            member.controlledShutdown(cluster.controlledShutdownRetries(),
                    Duration.ofMillis(cluster.controlledShutdownBackoffMs()),
                    Duration.ofMillis(cluster.controllerSocketTimeoutMs()));
        }
        if (groupCoordinator != null) {
            // Parked joins and syncs are requests in flight too: they are answered NOT_COORDINATOR.
            groupCoordinator.shutdown();
        }
        if (replicaManager != null) {
            // Parked fetches are requests in flight: answer them rather than wait out their time-outs.
            replicaManager.stopParkingFetches();
        }
        if (socketServer != null) {
            socketServer.shutdown(SHUTDOWN_GRACE);
        }
        if (replicaManager != null) {
            replicaManager.close();
        }
        if (logManager != null) {
            logManager.shutdown();
        }
        if (replicaLinks != null) {
            replicaLinks.close();
        }
        if (member != null) {
            member.close();
        } else if (metadataStore != null) {
            metadataStore.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (codecs != null) {
            codecs.close();
        }
    }

    /** The port the listener is bound to (the chosen one when configured with port 0). */
    public int boundPort() {
        return socketServer.boundAddress().getPort();
    }

    /** Per-API request timings and counts, and what clients sent that was ignored. */
    public RequestMetrics requestMetrics() {
        return socketServer.requestMetrics();
    }

    /** The incremental fetch sessions the broker keeps, as Kafka's metrics count them. */
    public FetchSessionMetrics fetchSessionMetrics() {
        return fetchSessions.metrics();
    }

    /** The first log dir, where the metadata lives unless {@code metadata.log.dir} says otherwise. */
    public Path dataDir() {
        return config.logDirs().get(0);
    }

    public BrokerConfig config() {
        return config;
    }

    /**
     * Plugins that failed to load at start, as {@code fjord plugins} reports them; the broker
     * runs without them. Empty before {@link #start()}.
     */
    public List<PluginLoadError> pluginLoadErrors() {
        return codecs == null ? List.of() : codecs.loadErrors();
    }

    BrokerCodecs codecs() {
        return codecs;
    }

    MetadataStore metadataStore() {
        return metadataStore;
    }

    LogManager logManager() {
        return logManager;
    }

    ReplicaManager replicaManager() {
        return replicaManager;
    }

    SocketServer socketServer() {
        return socketServer;
    }

    /**
     * Creates {@code __consumer_offsets} for the coordinator on first use; its partitions are led
     * by the time this returns (the metadata listener opens their logs).
     */
    private int createOffsetsTopic() {
        try {
            return metadataStore.consumerOffsetsTopic().partitionCount();
        } catch (MetadataException e) {
            LOG.warning("Cannot create " + TopicNames.CONSUMER_OFFSETS + " (offsets.topic.replication.factor="
                    + config.controllerConfig().offsetsTopicReplicationFactor() + "): " + e.getMessage()
                    + "; group coordination is unavailable until the setting fits the live brokers");
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, e.getMessage());
        }
    }

    /** Whether the metadata has the partition now: the coordinator commits offsets only for those. */
    private boolean partitionExists(TopicPartition tp) {
        TopicImage topic = metadataStore.image().topic(tp.topic());
        return topic != null && topic.partition(tp.partition()) != null;
    }

    /**
     * The partition if the metadata has it: led already, or led now (a request racing the
     * listener that creates it). Null for a topic or partition that does not exist.
     */
    Partition partitionFor(TopicPartition tp) {
        Partition partition = replicaManager.partition(tp);
        if (partition != null || member != null) {
            // In a cluster only the controller's LeaderAndIsr makes a partition led here.
            return partition != null && partition.isLeader() ? partition : null;
        }
        TopicImage topic = metadataStore.image().topic(tp.topic());
        PartitionImage p = topic == null ? null : topic.partition(tp.partition());
        if (p == null) {
            return null;
        }
        try {
            return replicaManager.becomeLeader(tp, p.leaderEpoch(), minInsyncReplicas(topic.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("Opening the log of " + tp + " failed", e);
        }
    }

    private void leadPartitions(TopicImage topic, int fromPartition) throws IOException {
        int minIsr = minInsyncReplicas(topic.name());
        for (PartitionImage p : topic.partitions().subList(fromPartition, topic.partitionCount())) {
            replicaManager.becomeLeader(topic.topicPartition(p.partition()), p.leaderEpoch(), minIsr);
        }
    }

    /** A topic's effective configs: its overrides over the broker's defaults. */
    private Map<String, String> effectiveConfigs(String topic) {
        List<ConfigEntry> entries;
        try {
            entries = metadataStore.describeConfigs(topic, null);
        } catch (MetadataException e) {
            // A log left from a deleted topic, opened only to be removed; or in a cluster, a
            // partition led here before this broker's metadata has its topic.
            Map<String, String> overrides = member != null ? member.cache().configs(topic) : Map.of();
            entries = topicDefaults.describe(overrides);
        }
        Map<String, String> values = new HashMap<>();
        for (ConfigEntry e : entries) {
            if (e.value() != null) {
                values.put(e.name(), e.value());
            }
        }
        return values;
    }

    private static TopicConfigs topicDefaults(BrokerConfigLayers layers) {
        return TopicConfigs.forBroker(layers.staticSettings(), layers.dynamicDefault(), layers.dynamicBroker());
    }

    private LogConfig logConfig(String topic) {
        return LogConfig.fromProperties(effectiveConfigs(topic));
    }

    int minInsyncReplicas(String topic) {
        return Integer.parseInt(effectiveConfigs(topic).getOrDefault("min.insync.replicas", "1").trim());
    }

    /** Keeps the partition logs in step with committed metadata changes. */
    private final class LogUpdater implements MetadataListener {

        @Override
        public void topicCreated(TopicImage topic) {
            try {
                leadPartitions(topic, 0);
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "Creating the logs of " + topic.name() + " failed", e);
            }
        }

        @Override
        public void partitionsCreated(TopicImage before, TopicImage after) {
            try {
                leadPartitions(after, before.partitionCount());
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "Creating the new logs of " + after.name() + " failed", e);
            }
        }

        @Override
        public void topicDeleted(TopicImage topic) {
            // The folders are renamed now, so a topic re-created at once gets fresh logs; the
            // files themselves go file.delete.delay.ms later, on the log manager's scheduler.
            for (PartitionImage p : topic.partitions()) {
                try {
                    replicaManager.deletePartition(topic.topicPartition(p.partition()));
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "Deleting the log of " + topic.topicPartition(p.partition())
                            + " failed", e);
                }
            }
            if (groupCoordinator != null) {
                groupCoordinator.onTopicDeleted(topic.name());
            }
        }

        @Override
        public void configsChanged(TopicImage before, TopicImage after) {
            applyConfigs(after);
        }

        /**
         * This broker's or the cluster-wide dynamic settings changed: the codecs take the broker's
         * compression settings, every topic the defaults it does not override, the socket server
         * its handler thread count and connection limit. The other thread counts and network
         * settings take effect at the next start.
         */
        @Override
        public void brokerConfigsChanged(OptionalInt brokerId, Map<String, String> before, Map<String, String> after) {
            if (brokerId.isPresent() && brokerId.getAsInt() != config.nodeId()) {
                return;
            }
            BrokerConfigLayers layers = BrokerConfigLayers.of(config.properties(),
                    metadataStore.image().brokerConfigs(), config.nodeId());
            topicDefaults = topicDefaults(layers);
            Map<String, String> settings = layers.effective();
            codecs.updateBrokerSettings(settings);
            if (socketServer != null) {
                NetworkConfig network = BrokerConfig.of(settings).networkConfig();
                socketServer.resizeHandlerThreads(network.numIoThreads());
                socketServer.setMaxConnections(network.maxConnections());
            }
            for (TopicImage topic : metadataStore.image().topicsByName().values()) {
                applyConfigs(topic);
            }
        }

        private void applyConfigs(TopicImage topic) {
            LogConfig logConfig = logConfig(topic.name());
            int minIsr = minInsyncReplicas(topic.name());
            for (PartitionImage p : topic.partitions()) {
                Partition partition = replicaManager.partition(topic.topicPartition(p.partition()));
                if (partition != null) {
                    partition.log().updateConfig(logConfig);
                    partition.updateMinInsyncReplicas(minIsr);
                }
            }
        }
    }
}
