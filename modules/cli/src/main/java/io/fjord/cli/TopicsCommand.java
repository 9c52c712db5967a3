package io.fjord.cli;

import io.fjord.controller.ClusterIds;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.CreateTopicsRequest;
import io.fjord.protocol.message.CreateTopicsResponse;
import io.fjord.protocol.message.DeleteTopicsRequest;
import io.fjord.protocol.message.DeleteTopicsResponse;
import io.fjord.protocol.message.DescribeConfigsRequest;
import io.fjord.protocol.message.DescribeConfigsResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import io.fjord.protocol.message.MetadataResponse.MetadataResponsePartition;
import io.fjord.protocol.message.MetadataResponse.MetadataResponseTopic;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
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
                metadata(connection, null).stream().map(MetadataResponseTopic::name).sorted().forEach(out::println);
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
        CreateTopicsRequest.CreatableTopic newTopic = new CreateTopicsRequest.CreatableTopic()
                .setName(name)
                .setNumPartitions(partitions)
                .setReplicationFactor(replicationFactor);
        for (String config : configs) {
            int eq = config.indexOf('=');
            if (eq <= 0) {
                throw new TopicCommandException("Config '" + config + "' is not key=value");
            }
            newTopic.configs().add(new CreateTopicsRequest.CreatableTopicConfig()
                    .setName(config.substring(0, eq))
                    .setValue(config.substring(eq + 1)));
        }
        CreateTopicsRequest request = new CreateTopicsRequest()
                .setTopics(List.of(newTopic))
                .setTimeoutMs(timeoutMs);
        CreateTopicsResponse.CreatableTopicResult result = connection.send(CREATE_TOPICS_VERSION, request,
                CreateTopicsResponse.class).topics().get(0);
        check(result.errorCode(), result.errorMessage(), name);
    }

    private void delete(BrokerConnection connection, String name) throws IOException {
        DeleteTopicsRequest request = new DeleteTopicsRequest()
                .setTopicNames(List.of(name))
                .setTimeoutMs(timeoutMs);
        DeleteTopicsResponse.DeletableTopicResult result = connection.send(DELETE_TOPICS_VERSION, request,
                DeleteTopicsResponse.class).responses().get(0);
        check(result.errorCode(), null, name);
    }

    private void describe(BrokerConnection connection, PrintWriter out) throws IOException {
        List<MetadataResponseTopic> topics = metadata(connection, topic);
        topics.sort(Comparator.comparing(MetadataResponseTopic::name));
        for (MetadataResponseTopic t : topics) {
            String name = t.name();
            check(t.errorCode(), null, name);
            List<MetadataResponsePartition> parts = new ArrayList<>(t.partitions());
            parts.sort(Comparator.comparingInt(MetadataResponsePartition::partitionIndex));
            int replication = parts.isEmpty() ? 0 : parts.get(0).replicaNodes().size();
            out.println("Topic: " + name + "\tTopicId: " + ClusterIds.toString(t.topicId()) + "\tPartitionCount: " + parts.size()
                    + "\tReplicationFactor: " + replication + "\tConfigs: " + topicConfigs(connection, name));
            for (MetadataResponsePartition p : parts) {
                out.println("\tTopic: " + name + "\tPartition: " + p.partitionIndex()
                        + "\tLeader: " + p.leaderId()
                        + "\tReplicas: " + join(p.replicaNodes())
                        + "\tIsr: " + join(p.isrNodes()));
            }
        }
    }

    /** The topic's overrides (not the broker defaults), as Kafka's describe prints them. */
    private String topicConfigs(BrokerConnection connection, String name) throws IOException {
        DescribeConfigsRequest request = new DescribeConfigsRequest().setResources(List.of(
                new DescribeConfigsRequest.DescribeConfigsResource()
                        .setResourceType(TOPIC_RESOURCE)
                        .setResourceName(name)
                        // Null asks for every config key.
                        .setConfigurationKeys(null)));
        DescribeConfigsResponse.DescribeConfigsResult result = connection.send(DESCRIBE_CONFIGS_VERSION, request,
                DescribeConfigsResponse.class).results().get(0);
        check(result.errorCode(), result.errorMessage(), name);
        return result.configs().stream()
                .filter(c -> c.configSource() == DYNAMIC_TOPIC_CONFIG)
                .map(c -> c.name() + "=" + c.value())
                .sorted()
                .collect(Collectors.joining(","));
    }

    /** Topics named (all when {@code name} is null) with their partitions; an unknown name fails. */
    private static List<MetadataResponseTopic> metadata(BrokerConnection connection, String name) throws IOException {
        MetadataRequest request = new MetadataRequest()
                // A null list asks for every topic.
                .setTopics(name == null ? null : List.of(new MetadataRequest.MetadataRequestTopic().setName(name)))
                .setAllowAutoTopicCreation(false);
        List<MetadataResponseTopic> topics = new ArrayList<>(
                connection.send(METADATA_VERSION, request, MetadataResponse.class).topics());
        if (name != null) {
            for (MetadataResponseTopic t : topics) {
                if (t.errorCode() == Errors.UNKNOWN_TOPIC_OR_PARTITION.code()) {
                    throw new TopicCommandException("Topic '" + name + "' does not exist as expected");
                }
            }
        } else {
            topics.removeIf(t -> t.errorCode() != Errors.NONE.code());
        }
        return topics;
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
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
