package io.fjord.cli;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.assignors.protocol.ConsumerProtocol;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.client.admin.GroupDescription;
import io.fjord.client.admin.GroupListing;
import io.fjord.client.admin.ListedOffset;
import io.fjord.client.admin.OffsetSpec;
import io.fjord.client.admin.TopicDescription;
import io.fjord.common.errors.Errors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code fjord groups}: kafka-consumer-groups.sh's actions and columns on Fjord's admin client:
 * {@code --list}, {@code --describe} (offsets, {@code --members [--verbose]}, {@code --state}),
 * {@code --reset-offsets} ({@code --to-earliest}, {@code --to-latest}, {@code --to-offset},
 * {@code --shift-by}, {@code --to-datetime}; {@code --dry-run} unless {@code --execute}),
 * {@code --delete} and {@code --delete-offsets}.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "List, describe, reset and delete consumer groups (as kafka-consumer-groups.sh).")
public final class GroupsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--list")
        boolean list;
        @Option(names = "--describe")
        boolean describe;
        @Option(names = "--reset-offsets")
        boolean resetOffsets;
        @Option(names = "--delete")
        boolean delete;
        @Option(names = "--delete-offsets")
        boolean deleteOffsets;
    }

    @Option(names = "--group", paramLabel = "G")
    List<String> groups = new ArrayList<>();

    @Option(names = "--all-groups")
    boolean allGroups;

    @Option(names = "--members")
    boolean members;

    @Option(names = "--verbose")
    boolean verbose;

    @Option(names = "--offsets")
    boolean offsets;

    @Option(names = "--state")
    boolean state;

    @Option(names = "--topic", paramLabel = "T[:P,P]")
    List<String> topics = new ArrayList<>();

    @Option(names = "--all-topics")
    boolean allTopics;

    @Option(names = "--to-earliest")
    boolean toEarliest;

    @Option(names = "--to-latest")
    boolean toLatest;

    @Option(names = "--to-offset", paramLabel = "N")
    Long toOffset;

    @Option(names = "--shift-by", paramLabel = "N")
    Long shiftBy;

    @Option(names = "--to-datetime", paramLabel = "YYYY-MM-DDTHH:mm:SS.sss")
    String toDatetime;

    @Option(names = "--dry-run")
    boolean dryRun;

    @Option(names = "--execute")
    boolean execute;

    @Option(names = "--timeout", paramLabel = "MS")
    int timeoutMs = 30_000;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (FjordAdmin admin = new FjordAdmin(Map.of("bootstrap.servers", bootstrapServer,
                "default.api.timeout.ms", Integer.toString(timeoutMs)))) {
            if (action.list) {
                list(admin, out);
            } else if (action.describe) {
                for (String group : selectedGroups(admin)) {
                    describe(admin, group, out);
                }
            } else if (action.resetOffsets) {
                for (String group : selectedGroups(admin)) {
                    reset(admin, group, out);
                }
            } else if (action.delete) {
                List<String> chosen = selectedGroups(admin);
                Map<String, CompletableFuture<Void>> results = admin.deleteGroups(chosen);
                List<String> failed = new ArrayList<>();
                for (String group : chosen) {
                    try {
                        get(results.get(group));
                    } catch (ExecutionException e) {
                        failed.add(group);
                        out.println("Deletion of group '" + group + "' failed: " + e.getCause().getMessage());
                    }
                }
                if (failed.isEmpty()) {
                    out.println("Deletion of requested consumer groups (" + quoted(chosen) + ") was successful.");
                }
                out.flush();
                return failed.isEmpty() ? 0 : 1;
            } else {
                return deleteOffsets(admin, out);
            }
        }
        out.flush();
        return 0;
    }

    private static String quoted(List<String> groups) {
        List<String> q = new ArrayList<>();
        groups.forEach(g -> q.add("'" + g + "'"));
        return String.join(", ", q);
    }

    private List<String> selectedGroups(FjordAdmin admin) throws Exception {
        if (allGroups) {
            List<String> all = new ArrayList<>();
            for (GroupListing g : get(admin.listGroups())) {
                all.add(g.groupId());
            }
            all.sort(null);
            return all;
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("Option --group or --all-groups is required");
        }
        return groups;
    }

    private void list(FjordAdmin admin, PrintWriter out) throws Exception {
        List<GroupListing> listed = new ArrayList<>(get(admin.listGroups()));
        listed.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        if (state) {
            TextTable table = new TextTable("GROUP", "STATE");
            listed.forEach(g -> table.row(g.groupId(), g.state().isEmpty() ? "Unknown" : g.state()));
            out.print(table.render());
        } else {
            listed.forEach(g -> out.println(g.groupId()));
        }
    }

    // ---- describe

    private void describe(FjordAdmin admin, String group, PrintWriter out) throws Exception {
        GroupDescription d = get(admin.describeGroups(List.of(group)).get(group));
        if (d.state().equals("Dead")) {
            out.println("Error: Consumer group '" + group + "' does not exist.");
            return;
        }
        out.println();
        if (state) {
            TextTable table = new TextTable("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS");
            table.row(group, coordinator(admin), d.protocol(), d.state(), Integer.toString(d.members().size()));
            out.print(table.render());
            return;
        }
        if (members) {
            if (d.members().isEmpty()) {
                out.println("Consumer group '" + group + "' has no active members.");
            }
            TextTable table = verbose
                    ? new TextTable("GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT")
                    : new TextTable("GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
            for (GroupDescription.Member m : d.members()) {
                List<TopicPartition> assigned = assignment(m);
                if (verbose) {
                    table.row(group, m.memberId(), m.clientHost(), m.clientId(), Integer.toString(assigned.size()),
                            assignmentText(assigned));
                } else {
                    table.row(group, m.memberId(), m.clientHost(), m.clientId(), Integer.toString(assigned.size()));
                }
            }
            out.print(table.render());
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listGroupOffsets(group));
        Map<TopicPartition, GroupDescription.Member> owners = new TreeMap<>();
        for (GroupDescription.Member m : d.members()) {
            assignment(m).forEach(tp -> owners.put(tp, m));
        }
        Set<TopicPartition> partitions = new TreeSet<>(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> ends = endOffsets(admin, partitions);
        if (d.members().isEmpty()) {
            out.println("Consumer group '" + group + "' has no active members.");
            out.println();
        }
        TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                "CONSUMER-ID", "HOST", "CLIENT-ID");
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            Long end = ends.get(tp);
            GroupDescription.Member owner = owners.get(tp);
            table.row(group, tp.topic(), Integer.toString(tp.partition()), c == null ? "-" : Long.toString(c.offset()),
                    end == null ? "-" : Long.toString(end),
                    c == null || end == null ? "-" : Long.toString(Math.max(0, end - c.offset())),
                    owner == null ? "-" : owner.memberId(), owner == null ? "-" : owner.clientHost(),
                    owner == null ? "-" : owner.clientId());
        }
        out.print(table.render());
    }

    private String coordinator(FjordAdmin admin) throws Exception {
        // A single broker coordinates every group; with several, the first is shown.
        var cluster = get(admin.describeCluster());
        return cluster.nodes().isEmpty() ? "-" : cluster.nodes().get(0).host() + ":" + cluster.nodes().get(0).port()
                + " (" + cluster.nodes().get(0).id() + ")";
    }

    private static List<TopicPartition> assignment(GroupDescription.Member m) {
        if (m.assignment() == null || m.assignment().length == 0) {
            return List.of();
        }
        try {
            return ConsumerProtocol.decodeAssignment(ByteBuffer.wrap(m.assignment())).partitions();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String assignmentText(List<TopicPartition> assigned) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        assigned.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        List<String> parts = new ArrayList<>();
        byTopic.forEach((t, ps) -> {
            ps.sort(null);
            List<String> nums = new ArrayList<>();
            ps.forEach(p -> nums.add(Integer.toString(p)));
            parts.add(t + "(" + String.join(",", nums) + ")");
        });
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private Map<TopicPartition, Long> endOffsets(FjordAdmin admin, Set<TopicPartition> partitions) throws Exception {
        return offsetsAt(admin, partitions, OffsetSpec.latest());
    }

    private Map<TopicPartition, Long> offsetsAt(FjordAdmin admin, Set<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new TreeMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        Map<TopicPartition, Long> out = new TreeMap<>();
        for (Map.Entry<TopicPartition, CompletableFuture<ListedOffset>> e : admin.listOffsets(specs).entrySet()) {
            try {
                out.put(e.getKey(), get(e.getValue()).offset());
            } catch (ExecutionException ignored) {
                // shown as "-"
            }
        }
        return out;
    }

    // ---- reset

    private void reset(FjordAdmin admin, String group, PrintWriter out) throws Exception {
        int strategies = (toEarliest ? 1 : 0) + (toLatest ? 1 : 0) + (toOffset != null ? 1 : 0)
                + (shiftBy != null ? 1 : 0) + (toDatetime != null ? 1 : 0);
        if (strategies != 1) {
            throw new IllegalArgumentException("Option --reset-offsets needs exactly one of --to-earliest, --to-latest, "
                    + "--to-offset, --shift-by or --to-datetime");
        }
        GroupDescription d = get(admin.describeGroups(List.of(group)).get(group));
        if (execute && !d.state().equals("Empty") && !d.state().equals("Dead")) {
            throw new IllegalStateException("Assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is " + d.state() + ".");
        }
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listGroupOffsets(group));
        Set<TopicPartition> partitions = resetPartitions(admin, committed);
        Map<TopicPartition, Long> earliest = offsetsAt(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsetsAt(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> target = new TreeMap<>();
        if (toEarliest) {
            target.putAll(earliest);
        } else if (toLatest) {
            target.putAll(latest);
        } else if (toOffset != null) {
            partitions.forEach(tp -> target.put(tp, toOffset));
        } else if (shiftBy != null) {
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                long from = c != null ? c.offset() : latest.getOrDefault(tp, 0L);
                target.put(tp, from + shiftBy);
            }
        } else {
            long ts = LocalDateTime.parse(toDatetime).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            Map<TopicPartition, Long> byTime = offsetsAt(admin, partitions, OffsetSpec.forTimestamp(ts));
            for (TopicPartition tp : partitions) {
                Long o = byTime.get(tp);
                target.put(tp, o == null || o < 0 ? latest.getOrDefault(tp, 0L) : o);
            }
        }
        // Out of range targets are clamped to the log, as Kafka's tool does.
        target.replaceAll((tp, o) -> Math.max(earliest.getOrDefault(tp, 0L), Math.min(latest.getOrDefault(tp, o), o)));
        TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
        target.forEach((tp, o) -> table.row(group, tp.topic(), Integer.toString(tp.partition()), Long.toString(o)));
        out.println();
        out.print(table.render());
        if (execute) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>();
            target.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o, Optional.empty(), "")));
            Map<TopicPartition, Errors> results = get(admin.alterGroupOffsets(group, offsets));
            for (Map.Entry<TopicPartition, Errors> e : results.entrySet()) {
                if (e.getValue() != Errors.NONE) {
                    throw new IllegalStateException("Resetting " + e.getKey() + " failed: " + e.getValue().name());
                }
            }
        }
    }

    private Set<TopicPartition> resetPartitions(FjordAdmin admin, Map<TopicPartition, OffsetAndMetadata> committed)
            throws Exception {
        Set<TopicPartition> out = new TreeSet<>();
        if (allTopics) {
            out.addAll(committed.keySet());
            return out;
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("Option --reset-offsets needs --topic or --all-topics");
        }
        for (String spec : topics) {
            int colon = spec.indexOf(':');
            String topic = colon < 0 ? spec : spec.substring(0, colon);
            if (colon >= 0) {
                for (String p : spec.substring(colon + 1).split(",")) {
                    out.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
                }
            } else {
                TopicDescription t = get(admin.describeTopics(List.of(topic)).get(topic));
                t.partitions().forEach(p -> out.add(new TopicPartition(topic, p.partition())));
            }
        }
        return out;
    }

    // ---- delete offsets

    private int deleteOffsets(FjordAdmin admin, PrintWriter out) throws Exception {
        if (groups.size() != 1 || topics.isEmpty()) {
            throw new IllegalArgumentException("Option --delete-offsets needs one --group and at least one --topic");
        }
        String group = groups.get(0);
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listGroupOffsets(group));
        Set<TopicPartition> partitions = new TreeSet<>();
        for (String spec : topics) {
            int colon = spec.indexOf(':');
            String topic = colon < 0 ? spec : spec.substring(0, colon);
            if (colon >= 0) {
                for (String p : spec.substring(colon + 1).split(",")) {
                    partitions.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
                }
            } else {
                committed.keySet().stream().filter(tp -> tp.topic().equals(topic)).forEach(partitions::add);
            }
        }
        Map<TopicPartition, Errors> results = get(admin.deleteGroupOffsets(group, partitions));
        boolean ok = results.values().stream().allMatch(e -> e == Errors.NONE);
        out.println(ok ? "Request succeed for deleting offsets from group " + group + "."
                : "Request failed for deleting offsets from group " + group + ".");
        TextTable table = new TextTable("TOPIC", "PARTITION", "STATUS");
        new TreeMap<>(results).forEach((tp, e) -> table.row(tp.topic(), Integer.toString(tp.partition()),
                e == Errors.NONE ? "Successful" : "Error: " + e.defaultMessage()));
        out.print(table.render());
        out.flush();
        return ok ? 0 : 1;
    }

    private <T> T get(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("No answer within " + timeoutMs + " ms");
        }
    }
}
