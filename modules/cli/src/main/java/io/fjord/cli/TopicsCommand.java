package io.fjord.cli;

import io.fjord.api.Node;
import io.fjord.client.admin.ConfigResource;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.client.admin.NewTopic;
import io.fjord.client.admin.TopicDescription;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
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

    @Option(names = "--replica-assignment", paramLabel = "1:2,2:3",
            description = "With --create: the brokers of each partition, colon-separated, partitions separated by commas.")
    String replicaAssignment;

    @Option(names = "--under-replicated-partitions", description = "With --describe: only partitions whose ISR is smaller than their replicas.")
    boolean underReplicatedOnly;

    @Option(names = "--unavailable-partitions", description = "With --describe: only partitions whose leader is missing or not live.")
    boolean unavailableOnly;

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
        NewTopic newTopic;
        if (replicaAssignment != null) {
            if (partitions != -1 || replicationFactor != -1) {
                throw new TopicCommandException("--replica-assignment can't be used with --partitions or --replication-factor");
            }
            newTopic = new NewTopic(name, replicaAssignment(replicaAssignment), topicConfigs);
        } else {
            newTopic = new NewTopic(name, partitions, replicationFactor, topicConfigs);
        }
        await(admin.createTopics(List.of(newTopic)).get(name), name);
    }

    /** Kafka's {@code 1:2,2:3} form: partition p is on the brokers of the p-th comma-separated list. */
    static Map<Integer, List<Integer>> replicaAssignment(String text) {
        Map<Integer, List<Integer>> assignment = new TreeMap<>();
        String[] lists = text.split(",", -1);
        for (int p = 0; p < lists.length; p++) {
            List<Integer> brokers = new ArrayList<>();
            for (String id : lists[p].split(":", -1)) {
                try {
                    brokers.add(Integer.parseInt(id.trim()));
                } catch (NumberFormatException e) {
                    throw new TopicCommandException("Invalid replica assignment '" + text + "': '" + id
                            + "' is not a broker id");
                }
            }
            if (brokers.stream().distinct().count() != brokers.size()) {
                throw new TopicCommandException("Partition replica lists may not contain duplicate entries: "
                        + lists[p].trim());
            }
            if (p > 0 && brokers.size() != assignment.get(0).size()) {
                throw new TopicCommandException("Partition " + p + " has different replication factor: " + lists[p].trim());
            }
            assignment.put(p, brokers);
        }
        return assignment;
    }

    private void describe(FjordAdmin admin, PrintWriter out) throws InterruptedException {
        List<String> names = topic != null ? List.of(topic) : new ArrayList<>(await(admin.listTopics(true), null));
        Map<String, CompletableFuture<TopicDescription>> descriptions = admin.describeTopics(names);
        boolean filtered = underReplicatedOnly || unavailableOnly;
        Set<Integer> live = new HashSet<>();
        if (unavailableOnly) {
            await(admin.describeCluster(), null).nodes().forEach(n -> live.add(n.id()));
        }
        for (String name : names) {
            TopicDescription t = await(descriptions.get(name), name);
            List<TopicDescription.Partition> parts = t.partitions();
            int replication = parts.isEmpty() ? 0 : parts.get(0).replicas().size();
            // As kafka-topics.sh: a filtered describe prints only the matching partitions.
            if (!filtered) {
                out.println("Topic: " + name + "\tTopicId: " + topicIdText(t.topicId()) + "\tPartitionCount: "
                        + parts.size() + "\tReplicationFactor: " + replication + "\tConfigs: " + topicConfigs(admin, name));
            }
            for (TopicDescription.Partition p : parts) {
                boolean underReplicated = p.isr().size() < p.replicas().size();
                boolean unavailable = p.leader().isEmpty() || !live.contains(p.leader().get().id());
                if (underReplicatedOnly && !underReplicated || unavailableOnly && !unavailable) {
                    continue;
                }
                out.println("\tTopic: " + name + "\tPartition: " + p.partition()
                        + "\tLeader: " + p.leader().map(n -> String.valueOf(n.id())).orElse("none")
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

    /**
     * Kafka's text of a topic id: the 16 bytes in base64url without padding. Written here rather
     * than taken from the broker's modules, which a client-only image does not hold.
     */
    private static String topicIdText(UUID id) {
        ByteBuffer bytes = ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
