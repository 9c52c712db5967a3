package io.fjord.cli;

import io.fjord.controller.ClusterIds;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code fjord topics}: create, list, describe and delete topics with the flags of Kafka's kafka-topics.sh. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create, list, describe and delete topics (flags as kafka-topics.sh).")
public final class TopicsCommand implements Callable<Integer> {

    // The first version that may ask by id; topic ids are in answers from 10.
    private static final short METADATA_VERSION = 12;
    private static final short CREATE_TOPICS_VERSION = 4;
    private static final short DELETE_TOPICS_VERSION = 3;
    private static final short DESCRIBE_CONFIGS_VERSION = 1;
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte DYNAMIC_TOPIC_CONFIG = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--create", required = true) boolean create;
        @Option(names = "--list", required = true) boolean list;
        @Option(names = "--describe", required = true) boolean describe;
        @Option(names = "--delete", required = true) boolean delete;
    }

    @Option(names = "--topic", paramLabel = "T")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", description = "Default: the broker's num.partitions.")
    int partitions = -1;

    @Option(names = "--replication-factor", paramLabel = "R", description = "Default: the broker's default.")
    short replicationFactor = -1;

    @Option(names = "--config", paramLabel = "k=v")
    List<String> configs = new ArrayList<>();

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS")
    int timeoutMs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (BrokerConnection connection = BrokerConnection.open(bootstrapServer, timeoutMs)) {
            if (action.create) {
                create(connection, requireTopic());
                out.println("Created topic " + topic + ".");
            } else if (action.delete) {
                delete(connection, requireTopic());
            } else if (action.list) {
                metadata(connection, null).stream().map(t -> t.getString("name")).sorted().forEach(out::println);
            } else {
                describe(connection, out);
            }
            out.flush();
            return 0;
        } catch (TopicCommandException | IllegalArgumentException e) {
            err.println("Error while executing topic command : " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private String requireTopic() {
        if (topic == null) {
            throw new TopicCommandException("--topic is required with --create and --delete");
        }
        return topic;
    }

    private void create(BrokerConnection connection, String name) throws IOException {
        Struct request = MessageCodec.newRequest(ApiKeys.CREATE_TOPICS);
        request.set("timeout_ms", timeoutMs);
        Struct t = request.addElement("topics");
        t.set("name", name);
        t.set("num_partitions", partitions);
        t.set("replication_factor", replicationFactor);
        for (String config : configs) {
            int eq = config.indexOf('=');
            if (eq <= 0) {
                throw new TopicCommandException("Config '" + config + "' is not key=value");
            }
            t.addElement("configs").set("name", config.substring(0, eq)).set("value", config.substring(eq + 1));
        }
        Struct result = connection.send(ApiKeys.CREATE_TOPICS, CREATE_TOPICS_VERSION, request)
                .getStructArray("topics").get(0);
        check(result.getShort("error_code"), result.getString("error_message"), name);
    }

    private void delete(BrokerConnection connection, String name) throws IOException {
        Struct request = MessageCodec.newRequest(ApiKeys.DELETE_TOPICS);
        request.set("topic_names", List.of(name));
        request.set("timeout_ms", timeoutMs);
        Struct result = connection.send(ApiKeys.DELETE_TOPICS, DELETE_TOPICS_VERSION, request)
                .getStructArray("responses").get(0);
        check(result.getShort("error_code"), null, name);
    }

    private void describe(BrokerConnection connection, PrintWriter out) throws IOException {
        List<Struct> topics = metadata(connection, topic);
        topics.sort((a, b) -> a.getString("name").compareTo(b.getString("name")));
        for (Struct t : topics) {
            String name = t.getString("name");
            check(t.getShort("error_code"), null, name);
            List<Struct> parts = new ArrayList<>(t.getStructArray("partitions"));
            parts.sort((a, b) -> Integer.compare(a.getInt("partition_index"), b.getInt("partition_index")));
            int replication = parts.isEmpty() ? 0 : parts.get(0).getIntArray("replica_nodes").length;
            out.println("Topic: " + name + "\tTopicId: " + ClusterIds.toString(t.getUuid("topic_id")) + "\tPartitionCount: " + parts.size()
                    + "\tReplicationFactor: " + replication + "\tConfigs: " + topicConfigs(connection, name));
            for (Struct p : parts) {
                out.println("\tTopic: " + name + "\tPartition: " + p.getInt("partition_index")
                        + "\tLeader: " + p.getInt("leader_id")
                        + "\tReplicas: " + join(p.getIntArray("replica_nodes"))
                        + "\tIsr: " + join(p.getIntArray("isr_nodes")));
            }
        }
    }

    /** The topic's overrides (not the broker defaults), as Kafka's describe prints them. */
    private String topicConfigs(BrokerConnection connection, String name) throws IOException {
        Struct request = MessageCodec.newRequest(ApiKeys.DESCRIBE_CONFIGS);
        request.addElement("resources").set("resource_type", TOPIC_RESOURCE).set("resource_name", name)
                .set("configuration_keys", null);
        Struct result = connection.send(ApiKeys.DESCRIBE_CONFIGS, DESCRIBE_CONFIGS_VERSION, request)
                .getStructArray("results").get(0);
        check(result.getShort("error_code"), result.getString("error_message"), name);
        return result.getStructArray("configs").stream()
                .filter(c -> c.getByte("config_source") == DYNAMIC_TOPIC_CONFIG)
                .map(c -> c.getString("name") + "=" + c.getString("value"))
                .sorted()
                .collect(Collectors.joining(","));
    }

    /** Topics named (all when {@code name} is null) with their partitions; an unknown name fails. */
    private static List<Struct> metadata(BrokerConnection connection, String name) throws IOException {
        Struct request = MessageCodec.newRequest(ApiKeys.METADATA);
        if (name == null) {
            request.set("topics", null);
        } else {
            request.addElement("topics").set("name", name);
        }
        request.set("allow_auto_topic_creation", false);
        List<Struct> topics = new ArrayList<>(
                connection.send(ApiKeys.METADATA, METADATA_VERSION, request).getStructArray("topics"));
        if (name != null) {
            for (Struct t : topics) {
                if (t.getShort("error_code") == Errors.UNKNOWN_TOPIC_OR_PARTITION.code()) {
                    throw new TopicCommandException("Topic '" + name + "' does not exist as expected");
                }
            }
        } else {
            topics.removeIf(t -> t.getShort("error_code") != Errors.NONE.code());
        }
        return topics;
    }

    private static String join(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static void check(short code, String message, String name) {
        Errors error = Errors.forCode(code);
        if (error == Errors.NONE) {
            return;
        }
        if (error == Errors.TOPIC_ALREADY_EXISTS) {
            throw new TopicCommandException("Topic '" + name + "' already exists.");
        }
        if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            throw new TopicCommandException("Topic '" + name + "' does not exist as expected");
        }
        throw new TopicCommandException(error + ": " + (message != null ? message : error.defaultMessage()));
    }

    /** A failure the broker reported, printed as Kafka's tool prints it. */
    static final class TopicCommandException extends RuntimeException {
        TopicCommandException(String message) {
            super(message);
        }
    }
}
