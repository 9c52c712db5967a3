package io.fjord.cli;

import io.fjord.api.Node;
import io.fjord.client.admin.ConfigResource;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.client.admin.NewTopic;
import io.fjord.client.admin.TopicDescription;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.controller.ClusterIds;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** {@code fjord topics}: create, list, describe and delete topics with the flags of Kafka's kafka-topics.sh. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create, list, describe and delete topics (flags as kafka-topics.sh).")
public final class TopicsCommand implements Callable<Integer> {

    private static final int DYNAMIC_TOPIC_CONFIG = 1;

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
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (FjordAdmin admin = new FjordAdmin(Map.of("bootstrap.servers", bootstrapServer,
                "default.api.timeout.ms", Integer.toString(timeoutMs)))) {
            if (action.create) {
                create(admin, requireTopic());
                out.println("Created topic " + topic + ".");
            } else if (action.delete) {
                String name = requireTopic();
                await(admin.deleteTopics(List.of(name)).get(name), name);
            } else if (action.list) {
                await(admin.listTopics(true), null).forEach(out::println);
            } else {
                describe(admin, out);
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

    private void create(FjordAdmin admin, String name) throws InterruptedException {
        Map<String, String> topicConfigs = new TreeMap<>();
        for (String config : configs) {
            int eq = config.indexOf('=');
            if (eq <= 0) {
                throw new TopicCommandException("Config '" + config + "' is not key=value");
            }
            topicConfigs.put(config.substring(0, eq), config.substring(eq + 1));
        }
        await(admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor, topicConfigs))).get(name), name);
    }

    private void describe(FjordAdmin admin, PrintWriter out) throws InterruptedException {
        List<String> names = topic != null ? List.of(topic) : new ArrayList<>(await(admin.listTopics(true), null));
        Map<String, CompletableFuture<TopicDescription>> descriptions = admin.describeTopics(names);
        for (String name : names) {
            TopicDescription t = await(descriptions.get(name), name);
            List<TopicDescription.Partition> parts = t.partitions();
            int replication = parts.isEmpty() ? 0 : parts.get(0).replicas().size();
            out.println("Topic: " + name + "\tTopicId: " + ClusterIds.toString(t.topicId()) + "\tPartitionCount: "
                    + parts.size() + "\tReplicationFactor: " + replication + "\tConfigs: " + topicConfigs(admin, name));
            for (TopicDescription.Partition p : parts) {
                out.println("\tTopic: " + name + "\tPartition: " + p.partition()
                        + "\tLeader: " + p.leader().map(Node::id).orElse(-1)
                        + "\tReplicas: " + join(p.replicas())
                        + "\tIsr: " + join(p.isr()));
            }
        }
    }

    /** The topic's overrides (not the broker defaults), as Kafka's describe prints them. */
    private String topicConfigs(FjordAdmin admin, String name) throws InterruptedException {
        ConfigResource resource = ConfigResource.topic(name);
        return await(admin.describeConfigs(List.of(resource)).get(resource), name).stream()
                .filter(c -> c.source() == DYNAMIC_TOPIC_CONFIG)
                .map(c -> c.name() + "=" + c.value())
                .sorted()
                .collect(Collectors.joining(","));
    }

    private static String join(List<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(","));
    }

    /** The future's value, or the broker's error as Kafka's tool words it. */
    private static <T> T await(CompletableFuture<T> future, String name) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                if (api.error() == Errors.TOPIC_ALREADY_EXISTS) {
                    throw new TopicCommandException("Topic '" + name + "' already exists.");
                }
                if (api.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    throw new TopicCommandException("Topic '" + name + "' does not exist as expected");
                }
                throw new TopicCommandException(api.error() + ": " + api.getMessage());
            }
            throw new TopicCommandException(String.valueOf(cause.getMessage()));
        }
    }

    /** A failure the broker reported, printed as Kafka's tool prints it. */
    static final class TopicCommandException extends RuntimeException {
        TopicCommandException(String message) {
            super(message);
        }
    }
}
