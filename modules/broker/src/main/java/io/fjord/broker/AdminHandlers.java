package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.controller.AlterConfigOp;
import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ConfigSource;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.NewTopic;
import io.fjord.controller.TopicConfigs;
import io.fjord.controller.TopicImage;
import io.fjord.log.LogException;
import io.fjord.network.NetworkRequest;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
import io.fjord.replication.Partition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin APIs, answered from and applied to the metadata store: CreateTopics, DeleteTopics,
 * CreatePartitions, DescribeConfigs, IncrementalAlterConfigs; and DeleteRecords and
 * DescribeCluster. A topic's {@code compression.type} must name a codec the broker has loaded.
 * Every change is committed by the store, whose listener (in {@link Broker})
 * creates, reconfigures or deletes the partition logs, so the answer is sent after the logs
 * exist. Each topic or resource gets its own error code and message; one failing never fails the
 * others.
 */
final class AdminHandlers {

    /** DescribeConfigs/IncrementalAlterConfigs resource types (Kafka's {@code ConfigResource.Type}). */
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte BROKER_RESOURCE = 4;

    private final Broker broker;

    AdminHandlers(Broker broker) {
        this.broker = broker;
    }

    void createTopics(NetworkRequest request, Struct body) {
        MetadataStore store = broker.metadataStore();
        boolean validateOnly = body.getBoolean("validate_only");
        Struct response = MessageCodec.newResponse(ApiKeys.CREATE_TOPICS);
        response.set("topics", new ArrayList<Struct>());
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (Struct t : body.getStructArray("topics")) {
            if (!seen.add(t.getString("name"))) {
                duplicates.add(t.getString("name"));
            }
        }
        for (Struct t : body.getStructArray("topics")) {
            String name = t.getString("name");
            Struct r = response.addElement("topics");
            r.set("name", name);
            if (duplicates.contains(name)) {
                setError(r, Errors.INVALID_REQUEST, "Create topics request from client contains a duplicate topic: "
                        + name);
                continue;
            }
            Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
            for (Struct a : t.getStructArray("assignments")) {
                List<Integer> ids = new ArrayList<>();
                for (int id : a.getIntArray("broker_ids")) {
                    ids.add(id);
                }
                assignments.put(a.getInt("partition_index"), ids);
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (Struct c : t.getStructArray("configs")) {
                configs.put(c.getString("name"), c.getString("value"));
            }
            try {
                NewTopic newTopic = new NewTopic(name, t.getInt("num_partitions"), t.getShort("replication_factor"),
                        assignments, configs);
                if (configs.containsKey(BrokerCodecs.COMPRESSION_TYPE)) {
                    // The store's own checks first, so their errors win as in Kafka; then the codec.
                    store.createTopic(newTopic, true);
                    requireCodec(configs.get(BrokerCodecs.COMPRESSION_TYPE));
                }
                TopicImage created = store.createTopic(newTopic, validateOnly);
                describeCreated(r, created);
                setError(r, Errors.NONE, null);
            } catch (MetadataException e) {
                setError(r, e.error(), e.getMessage());
            }
        }
        RequestDispatcher.respond(request, response);
    }

    /** What versions 5+ of the response tell about a created topic; 7+ adds its id. */
    private void describeCreated(Struct result, TopicImage topic) {
        result.set("topic_id", topic.id());
        result.set("num_partitions", topic.partitionCount());
        result.set("replication_factor", (short) topic.partition(0).replicas().size());
        result.set("configs", new ArrayList<Struct>());
        for (ConfigEntry e : TopicConfigs.forBroker(broker.config().properties()).describe(topic.configs())) {
            Struct c = result.addElement("configs");
            c.set("name", e.name());
            c.set("value", e.value());
            c.set("read_only", false);
            c.set("config_source", e.source().id());
            c.set("is_sensitive", false);
        }
    }

    void deleteTopics(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.DELETE_TOPICS);
        response.set("responses", new ArrayList<Struct>());
        List<String> names = body.getArray("topic_names");
        for (String name : names) {
            Struct r = response.addElement("responses");
            r.set("name", name);
            try {
                broker.metadataStore().deleteTopic(name);
                r.set("error_code", Errors.NONE.code());
            } catch (MetadataException e) {
                r.set("error_code", e.error().code());
            }
        }
        RequestDispatcher.respond(request, response);
    }

    void createPartitions(NetworkRequest request, Struct body) {
        boolean validateOnly = body.getBoolean("validate_only");
        Struct response = MessageCodec.newResponse(ApiKeys.CREATE_PARTITIONS);
        response.set("results", new ArrayList<Struct>());
        for (Struct t : body.getStructArray("topics")) {
            String name = t.getString("name");
            Struct r = response.addElement("results");
            r.set("name", name);
            List<List<Integer>> assignments = null;
            List<Struct> given = t.getStructArray("assignments");
            if (given != null) {
                assignments = new ArrayList<>();
                for (Struct a : given) {
                    List<Integer> ids = new ArrayList<>();
                    for (int id : a.getIntArray("broker_ids")) {
                        ids.add(id);
                    }
                    assignments.add(ids);
                }
            }
            try {
                broker.metadataStore().createPartitions(name, t.getInt("count"), assignments, validateOnly);
                setError(r, Errors.NONE, null);
            } catch (MetadataException e) {
                setError(r, e.error(), e.getMessage());
            }
        }
        RequestDispatcher.respond(request, response);
    }

    void describeConfigs(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.DESCRIBE_CONFIGS);
        response.set("results", new ArrayList<Struct>());
        for (Struct resource : body.getStructArray("resources")) {
            byte type = resource.getByte("resource_type");
            String name = resource.getString("resource_name");
            List<String> keys = resource.getArray("configuration_keys");
            Struct r = response.addElement("results");
            r.set("resource_type", type);
            r.set("resource_name", name);
            r.set("configs", new ArrayList<Struct>());
            try {
                List<ConfigEntry> entries = switch (type) {
                    case TOPIC_RESOURCE -> broker.metadataStore().describeConfigs(name, keys);
                    case BROKER_RESOURCE -> brokerConfigs(name, keys);
                    default -> throw new MetadataException(Errors.INVALID_REQUEST,
                            "Unsupported resource type " + type);
                };
                for (ConfigEntry e : entries) {
                    Struct c = r.addElement("configs");
                    c.set("name", e.name());
                    c.set("value", e.value());
                    c.set("read_only", type == BROKER_RESOURCE);
                    c.set("config_source", e.source().id());
                    c.set("is_sensitive", false);
                    c.set("synonyms", new ArrayList<Struct>());
                }
                setError(r, Errors.NONE, null);
            } catch (MetadataException e) {
                setError(r, e.error(), e.getMessage());
            }
        }
        RequestDispatcher.respond(request, response);
    }

    /** This broker's settings as static broker configs; another node id is an error. */
    private List<ConfigEntry> brokerConfigs(String name, List<String> keys) {
        if (!name.isEmpty() && !name.equals(Integer.toString(broker.config().nodeId()))) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Unknown broker " + name);
        }
        List<ConfigEntry> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : broker.config().properties().entrySet()) {
            if (keys == null || keys.contains(e.getKey())) {
                entries.add(new ConfigEntry(e.getKey(), e.getValue(), ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        return entries;
    }

    void incrementalAlterConfigs(NetworkRequest request, Struct body) {
        boolean validateOnly = body.getBoolean("validate_only");
        Struct response = MessageCodec.newResponse(ApiKeys.INCREMENTAL_ALTER_CONFIGS);
        response.set("responses", new ArrayList<Struct>());
        for (Struct resource : body.getStructArray("resources")) {
            byte type = resource.getByte("resource_type");
            String name = resource.getString("resource_name");
            Struct r = response.addElement("responses");
            r.set("resource_type", type);
            r.set("resource_name", name);
            try {
                if (type != TOPIC_RESOURCE) {
                    throw new MetadataException(Errors.INVALID_REQUEST,
                            "Only topic configs can be altered; broker configs are static");
                }
                List<AlterConfigOp> ops = new ArrayList<>();
                for (Struct c : resource.getStructArray("configs")) {
                    ops.add(new AlterConfigOp(AlterConfigOp.Type.forId(c.getByte("config_operation")),
                            c.getString("name"), c.getString("value")));
                }
                if (ops.stream().anyMatch(op -> op.key().equals(BrokerCodecs.COMPRESSION_TYPE))) {
                    Map<String, String> after = broker.metadataStore().incrementalAlterConfigs(name, ops, true);
                    requireCodec(after.get(BrokerCodecs.COMPRESSION_TYPE));
                }
                broker.metadataStore().incrementalAlterConfigs(name, ops, validateOnly);
                setError(r, Errors.NONE, null);
            } catch (MetadataException e) {
                setError(r, e.error(), e.getMessage());
            } catch (IllegalArgumentException e) {
                setError(r, Errors.INVALID_REQUEST, e.getMessage());
            }
        }
        RequestDispatcher.respond(request, response);
    }

    /** DeleteRecords: moves each log start offset up; offset -1 means the high watermark. */
    void deleteRecords(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.DELETE_RECORDS);
        response.set("topics", new ArrayList<Struct>());
        for (Struct t : body.getStructArray("topics")) {
            String name = t.getString("name");
            Struct rt = response.addElement("topics");
            rt.set("name", name);
            rt.set("partitions", new ArrayList<Struct>());
            for (Struct p : t.getStructArray("partitions")) {
                int index = p.getInt("partition_index");
                Struct rp = rt.addElement("partitions");
                rp.set("partition_index", index);
                rp.set("low_watermark", -1L);
                Partition partition = broker.partitionFor(new TopicPartition(name, index));
                if (partition == null) {
                    rp.set("error_code", Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                long offset = p.getLong("offset");
                try {
                    partition.log().deleteRecordsBefore(offset == -1 ? partition.highWatermark() : offset);
                    rp.set("low_watermark", partition.logStartOffset());
                    rp.set("error_code", Errors.NONE.code());
                } catch (LogException e) {
                    rp.set("error_code", e.error().code());
                }
            }
        }
        RequestDispatcher.respond(request, response);
    }

    void describeCluster(NetworkRequest request) {
        Struct response = MessageCodec.newResponse(ApiKeys.DESCRIBE_CLUSTER);
        response.set("error_code", Errors.NONE.code());
        response.set("cluster_id", broker.metadataStore().clusterId());
        response.set("controller_id", broker.config().nodeId());
        Struct node = response.addElement("brokers");
        node.set("broker_id", broker.config().nodeId());
        node.set("host", broker.advertisedHost());
        node.set("port", broker.advertisedPort());
        RequestDispatcher.respond(request, response);
    }

    /** A topic may only name a codec the broker has loaded: INVALID_CONFIG naming the missing plugin. */
    private void requireCodec(String compressionType) {
        String missing = broker.codecs().missingCodec(compressionType);
        if (missing != null) {
            throw new MetadataException(Errors.INVALID_CONFIG, missing);
        }
    }

    private static void setError(Struct result, Errors error, String message) {
        result.set("error_code", error.code());
        result.set("error_message", message);
    }
}
