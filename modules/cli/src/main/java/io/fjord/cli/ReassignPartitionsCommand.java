package io.fjord.cli;

import io.fjord.api.Node;
import io.fjord.api.TopicPartition;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.client.admin.PartitionReassignment;
import io.fjord.client.admin.TopicDescription;
import io.fjord.common.errors.ApiException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/** {@code fjord reassign-partitions}: move partitions between brokers with the flags of Kafka's kafka-reassign-partitions.sh. */
@Command(name = "reassign-partitions", mixinStandardHelpOptions = true,
        description = "Generate, execute, verify and cancel partition reassignments (flags as kafka-reassign-partitions.sh).")
public final class ReassignPartitionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--generate", required = true, description = "Propose an assignment of the topics over the brokers.")
        boolean generate;
        @Option(names = "--execute", required = true, description = "Start the reassignment of the file.")
        boolean execute;
        @Option(names = "--verify", required = true, description = "Say which reassignments of the file are done.")
        boolean verify;
        @Option(names = "--cancel", required = true, description = "Cancel the reassignments of the file still in progress.")
        boolean cancel;
    }

    @Option(names = "--topics-to-move-json-file", paramLabel = "FILE")
    Path topicsFile;

    @Option(names = "--broker-list", paramLabel = "1,2,3", split = ",")
    List<Integer> brokerList;

    @Option(names = "--reassignment-json-file", paramLabel = "FILE")
    Path reassignmentFile;

    @Option(names = "--additional", description = "Execute even though other reassignments are in progress.")
    boolean additional;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS")
    int timeoutMs;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (FjordAdmin admin = new FjordAdmin(Map.of("bootstrap.servers", bootstrapServer,
                "default.api.timeout.ms", Integer.toString(timeoutMs)))) {
            if (action.generate) {
                generate(admin, out);
            } else if (action.execute) {
                execute(admin, out);
            } else if (action.verify) {
                verify(admin, out);
            } else {
                cancel(admin, out);
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException | CommandFailure e) {
            out.flush();
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void generate(FjordAdmin admin, PrintWriter out) throws InterruptedException {
        if (topicsFile == null || brokerList == null) {
            throw new IllegalArgumentException("--generate needs --topics-to-move-json-file and --broker-list");
        }
        List<Integer> brokers = brokerList.stream().distinct().sorted().toList();
        if (brokers.size() != brokerList.size()) {
            throw new IllegalArgumentException("Duplicate brokers in --broker-list: " + brokerList);
        }
        Map<TopicPartition, List<Integer>> current = assignment(admin, PartitionsJson.topicsToMove(read(topicsFile)));
        Map<String, List<TopicPartition>> byTopic = current.keySet().stream()
                .collect(Collectors.groupingBy(TopicPartition::topic, TreeMap::new, Collectors.toList()));
        Map<TopicPartition, List<Integer>> proposed = new LinkedHashMap<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byTopic.forEach((topic, partitions) -> {
            List<List<Integer>> placement = ReplicaPlacement.place(partitions.size(),
                    current.get(partitions.get(0)).size(), brokers, random.nextInt(brokers.size()),
                    random.nextInt(brokers.size()));
            for (int p = 0; p < placement.size(); p++) {
                proposed.put(partitions.get(p), placement.get(p));
            }
        });
        out.println("Current partition replica assignment");
        out.println(PartitionsJson.reassignmentJson(current));
        out.println();
        out.println("Proposed partition reassignment configuration");
        out.println(PartitionsJson.reassignmentJson(proposed));
    }

    private void execute(FjordAdmin admin, PrintWriter out) throws InterruptedException {
        Map<TopicPartition, List<Integer>> targets = PartitionsJson.reassignment(read(requireReassignmentFile()));
        if (!additional && !await(admin.listPartitionReassignments(null)).isEmpty()) {
            throw new CommandFailure("Cannot execute because there is an existing partition assignment. Use --additional"
                    + " to override this and create a new partition assignment in addition to the existing one.");
        }
        List<String> topics = targets.keySet().stream().map(TopicPartition::topic).distinct().toList();
        Map<TopicPartition, List<Integer>> current = assignment(admin, topics);
        List<TopicPartition> missing = targets.keySet().stream().filter(tp -> !current.containsKey(tp)).toList();
        if (!missing.isEmpty()) {
            throw new CommandFailure("The proposed assignment contains non-existent partitions: " + missing);
        }
        Map<TopicPartition, List<Integer>> rollback = new LinkedHashMap<>();
        targets.keySet().forEach(tp -> rollback.put(tp, current.get(tp)));
        out.println("Current partition replica assignment");
        out.println();
        out.println(PartitionsJson.reassignmentJson(rollback));
        out.println();
        out.println("Save this to use as the --reassignment-json-file option during rollback");
        Map<TopicPartition, Optional<List<Integer>>> request = new LinkedHashMap<>();
        targets.forEach((tp, replicas) -> request.put(tp, Optional.of(replicas)));
        failures("Error reassigning partition(s):", admin.alterPartitionReassignments(request));
        out.println("Successfully started partition reassignment" + (targets.size() == 1 ? "" : "s") + " for "
                + join(targets.keySet()));
    }

    private void verify(FjordAdmin admin, PrintWriter out) throws InterruptedException {
        Map<TopicPartition, List<Integer>> targets = PartitionsJson.reassignment(read(requireReassignmentFile()));
        Map<TopicPartition, PartitionReassignment> ongoing = await(admin.listPartitionReassignments(targets.keySet()));
        Map<TopicPartition, List<Integer>> current = assignment(admin,
                targets.keySet().stream().map(TopicPartition::topic).distinct().toList());
        out.println("Status of partition reassignment:");
        targets.forEach((tp, replicas) -> {
            if (ongoing.containsKey(tp)) {
                out.println("Reassignment of partition " + tp + " is still in progress.");
            } else if (replicas.equals(current.get(tp))) {
                out.println("Reassignment of partition " + tp + " is completed.");
            } else {
                out.println("There is no active reassignment of partition " + tp + ", but replica set is "
                        + current.get(tp) + " rather than " + replicas + ".");
            }
        });
    }

    private void cancel(FjordAdmin admin, PrintWriter out) throws InterruptedException {
        Map<TopicPartition, List<Integer>> targets = PartitionsJson.reassignment(read(requireReassignmentFile()));
        Map<TopicPartition, PartitionReassignment> ongoing = await(admin.listPartitionReassignments(targets.keySet()));
        Map<TopicPartition, Optional<List<Integer>>> cancels = new LinkedHashMap<>();
        targets.keySet().stream().filter(ongoing::containsKey).forEach(tp -> cancels.put(tp, Optional.empty()));
        if (cancels.isEmpty()) {
            out.println("None of the specified partition reassignments are active.");
            return;
        }
        failures("Error cancelling partition reassignment(s):", admin.alterPartitionReassignments(cancels));
        out.println("Successfully cancelled partition reassignment" + (cancels.size() == 1 ? "" : "s") + " for: "
                + join(cancels.keySet()));
    }

    private Path requireReassignmentFile() {
        if (reassignmentFile == null) {
            throw new IllegalArgumentException("--reassignment-json-file is required with --execute, --verify and --cancel");
        }
        return reassignmentFile;
    }

    /** Each partition's replicas now, for every partition of the topics. */
    private static Map<TopicPartition, List<Integer>> assignment(FjordAdmin admin, List<String> topics)
            throws InterruptedException {
        Map<TopicPartition, List<Integer>> assignment = new LinkedHashMap<>();
        Map<String, CompletableFuture<TopicDescription>> descriptions = admin.describeTopics(topics);
        for (String topic : topics) {
            for (TopicDescription.Partition p : await(descriptions.get(topic)).partitions()) {
                assignment.put(new TopicPartition(topic, p.partition()), p.replicas().stream().map(Node::id).toList());
            }
        }
        return assignment;
    }

    /** Waits for every partition's answer and fails listing those that failed. */
    private static void failures(String heading, Map<TopicPartition, CompletableFuture<Void>> results)
            throws InterruptedException {
        List<String> failed = new ArrayList<>();
        for (Map.Entry<TopicPartition, CompletableFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException failure) {
                failed.add(e.getKey() + ": " + describe(failure.getCause()));
            }
        }
        if (!failed.isEmpty()) {
            throw new CommandFailure(heading + "\n  " + String.join("\n  ", failed));
        }
    }

    private static String join(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).collect(Collectors.joining(","));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new CommandFailure(describe(e.getCause()));
        }
    }

    static String describe(Throwable failure) {
        return failure instanceof ApiException api ? api.error() + ": " + api.getMessage() : String.valueOf(failure.getMessage());
    }

    /** A failure the cluster reported, printed as Kafka's tool prints it. */
    static final class CommandFailure extends RuntimeException {
        CommandFailure(String message) {
            super(message);
        }
    }
}
