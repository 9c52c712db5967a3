package io.fjord.cli;

import io.fjord.api.TopicPartition;
import io.fjord.client.admin.ElectionType;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** {@code fjord leader-election}: elect partition leaders with the flags of Kafka's kafka-leader-election.sh. */
@Command(name = "leader-election", mixinStandardHelpOptions = true,
        description = "Elect the preferred or an unclean leader of partitions (flags as kafka-leader-election.sh).")
public final class LeaderElectionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--election-type", required = true, paramLabel = "preferred|unclean")
    String electionType;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--topic", required = true, paramLabel = "T", description = "With --partition: one partition.")
        String topic;
        @Option(names = "--all-topic-partitions", required = true, description = "Every partition of the cluster.")
        boolean all;
        @Option(names = "--path-to-json-file", required = true, paramLabel = "FILE",
                description = "The partitions of {\"partitions\":[{\"topic\":\"t\",\"partition\":0}]}.")
        Path jsonFile;
    }

    @Option(names = "--partition", paramLabel = "P")
    Integer partition;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS")
    int timeoutMs;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ElectionType type = electionType();
            Set<TopicPartition> partitions = partitions();
            try (FjordAdmin admin = new FjordAdmin(Map.of("bootstrap.servers", bootstrapServer,
                    "default.api.timeout.ms", Integer.toString(timeoutMs)))) {
                return elect(admin, type, partitions, out, err);
            }
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private int elect(FjordAdmin admin, ElectionType type, Set<TopicPartition> partitions, PrintWriter out,
                      PrintWriter err) throws InterruptedException {
        Map<TopicPartition, Optional<Throwable>> results;
        try {
            results = admin.electLeaders(type, partitions).get();
        } catch (ExecutionException e) {
            err.println("Error: " + ReassignPartitionsCommand.describe(e.getCause()));
            err.flush();
            return 1;
        }
        List<TopicPartition> succeeded = new ArrayList<>();
        List<TopicPartition> noop = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        results.forEach((tp, failure) -> {
            if (failure.isEmpty()) {
                succeeded.add(tp);
            } else if (failure.get() instanceof ApiException api && api.error() == Errors.ELECTION_NOT_NEEDED) {
                noop.add(tp);
            } else {
                failed.add("Error completing leader election (" + type + ") for partition: " + tp + ": "
                        + ReassignPartitionsCommand.describe(failure.get()));
            }
        });
        if (!succeeded.isEmpty()) {
            out.println("Successfully completed leader election (" + type + ") for partitions " + join(succeeded));
        }
        if (!noop.isEmpty()) {
            out.println("Valid replica already elected for partitions " + join(noop));
        }
        failed.forEach(out::println);
        out.flush();
        if (!failed.isEmpty()) {
            err.println("Error: " + failed.size() + " replica(s) could not be elected");
            err.flush();
            return 1;
        }
        return 0;
    }

    private ElectionType electionType() {
        try {
            return ElectionType.valueOf(electionType.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown election type '" + electionType + "': use preferred or unclean");
        }
    }

    /** The partitions to elect; null for all of them, which the admin call takes as "every partition". */
    private Set<TopicPartition> partitions() {
        if (target.topic != null) {
            if (partition == null) {
                throw new IllegalArgumentException("--partition is required with --topic");
            }
            return Set.of(new TopicPartition(target.topic, partition));
        }
        if (partition != null) {
            throw new IllegalArgumentException("--partition can only be used with --topic");
        }
        if (target.all) {
            return null;
        }
        try {
            return PartitionsJson.electionPartitions(Files.readString(target.jsonFile));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + target.jsonFile + ": " + e.getMessage());
        }
    }

    private static String join(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).collect(Collectors.joining(", "));
    }
}
