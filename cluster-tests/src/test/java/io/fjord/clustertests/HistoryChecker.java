package io.fjord.clustertests;

import io.fjord.clustertests.History.Ack;
import io.fjord.clustertests.History.Read;
import io.fjord.clustertests.ReplicaLogs.EpochEntry;
import io.fjord.clustertests.ReplicaLogs.Replica;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a fault test's history against the replicas' logs once the cluster has healed (every
 * broker up, full ISR, producer closed, brokers stopped cleanly). The rules, per partition:
 * <ol>
 * <li>every acknowledged value is at its acknowledged offset, on every replica whose high
 *     watermark passed that offset, and on at least one replica;</li>
 * <li>no offset holds two different values across acknowledgements, consumer reads and the
 *     committed part of the replicas (below each one's high watermark);</li>
 * <li>no value is at two offsets (the idempotent producer wrote each attempt once);</li>
 * <li>each consumer's reads go strictly forward and skip no offset the healed log holds;</li>
 * <li>the replicas are identical below the highest high watermark, and their leader-epoch
 *     checkpoints agree on every epoch that starts below the lowest one.</li>
 * </ol>
 * Each broken rule becomes a readable violation; the checker itself never throws on bad data.
 */
final class HistoryChecker {

    private final int partitions;
    private final List<String> violations = new ArrayList<>();

    private HistoryChecker(int partitions) {
        this.partitions = partitions;
    }

    /** The violations of the rules above; empty when the history is consistent. */
    static List<String> check(History history, List<Replica> replicas, int partitions) {
        HistoryChecker c = new HistoryChecker(partitions);
        c.run(history.acks(), history.reads(), replicas);
        return List.copyOf(c.violations);
    }

    /** Fails the test with the first violations, if any. */
    static void assertConsistent(History history, List<Replica> replicas, int partitions) {
        List<String> found = check(history, replicas, partitions);
        if (!found.isEmpty()) {
            fail(found.size() + " violations in " + history + ", first: "
                    + String.join("\n  ", found.subList(0, Math.min(20, found.size()))));
        }
    }

    private void run(List<Ack> acks, List<Read> reads, List<Replica> replicas) {
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            List<Replica> copies = replicas.stream().filter(r -> r.partition() == partition).toList();
            List<Ack> acked = acks.stream().filter(a -> a.partition() == partition).toList();
            List<Read> read = reads.stream().filter(r -> r.partition() == partition).toList();
            copies.forEach(r -> r.problems().forEach(x -> violations.add("broker " + r.broker() + " p" + partition + ": " + x)));
            NavigableMap<Long, String> agreed = agreedValues(partition, acked, read, copies);
            checkAcks(partition, acked, copies);
            checkUnique(partition, agreed, copies);
            checkReads(partition, read, agreed);
            checkReplicasAgree(partition, copies);
        }
    }

    /** Every value seen at each offset; a second, different value is a conflict. */
    private NavigableMap<Long, String> agreedValues(int p, List<Ack> acks, List<Read> reads, List<Replica> copies) {
        NavigableMap<Long, String> agreed = new TreeMap<>();
        Map<Long, String> firstSource = new HashMap<>();
        for (Ack a : acks) {
            note(p, agreed, firstSource, a.offset(), a.value(), "acknowledged");
        }
        for (Read r : reads) {
            note(p, agreed, firstSource, r.offset(), r.value(), "read by " + r.consumer());
        }
        for (Replica r : copies) {
            long committed = r.highWatermark() < 0 ? Long.MAX_VALUE : r.highWatermark();
            r.records().headMap(committed, false).forEach((offset, value) ->
                    note(p, agreed, firstSource, offset, value, "committed on broker " + r.broker()));
        }
        return agreed;
    }

    private void note(int p, NavigableMap<Long, String> agreed, Map<Long, String> firstSource, long offset, String value,
            String source) {
        String was = agreed.putIfAbsent(offset, value);
        if (was == null) {
            firstSource.put(offset, source);
        } else if (!Objects.equals(was, value)) {
            violations.add("p" + p + " offset " + offset + " holds " + was + " (" + firstSource.get(offset) + ") and "
                    + value + " (" + source + ")");
        }
    }

    private void checkAcks(int p, List<Ack> acks, List<Replica> copies) {
        for (Ack a : acks) {
            boolean somewhere = false;
            for (Replica r : copies) {
                String there = r.records().get(a.offset());
                if (a.value().equals(there)) {
                    somewhere = true;
                } else if (r.highWatermark() > a.offset()) {
                    violations.add("p" + p + " acknowledged " + a.value() + " at " + a.offset() + " but broker "
                            + r.broker() + " (high watermark " + r.highWatermark() + ") has " + there);
                }
            }
            if (!somewhere) {
                violations.add("p" + p + " acknowledged " + a.value() + " at " + a.offset() + " is lost: no replica has it");
            }
        }
    }

    private void checkUnique(int p, NavigableMap<Long, String> agreed, List<Replica> copies) {
        Map<String, Long> at = new HashMap<>();
        agreed.forEach((offset, value) -> {
            Long other = value == null ? null : at.putIfAbsent(value, offset);
            if (other != null) {
                violations.add("p" + p + " value " + value + " is at offsets " + other + " and " + offset);
            }
        });
        for (Replica r : copies) {
            Map<String, Long> seen = new HashMap<>();
            r.records().forEach((offset, value) -> {
                Long other = value == null ? null : seen.putIfAbsent(value, offset);
                if (other != null) {
                    violations.add("p" + p + " broker " + r.broker() + " holds " + value + " at " + other + " and " + offset);
                }
            });
        }
    }

    private void checkReads(int p, List<Read> reads, NavigableMap<Long, String> agreed) {
        Map<String, Long> last = new LinkedHashMap<>();
        for (Read r : reads) {
            Long previous = last.put(r.consumer(), r.offset());
            long from = previous == null ? -1 : previous;
            if (previous != null && r.offset() <= previous) {
                violations.add("p" + p + " " + r.consumer() + " went back from " + previous + " to " + r.offset());
                continue;
            }
            NavigableMap<Long, String> skipped = agreed.subMap(from, false, r.offset(), false);
            if (!skipped.isEmpty()) {
                violations.add("p" + p + " " + r.consumer() + " skipped from " + (previous == null ? "the start" : previous)
                        + " to " + r.offset() + " over " + skipped.size() + " records, first at " + skipped.firstKey());
            }
        }
    }

    private void checkReplicasAgree(int p, List<Replica> copies) {
        if (copies.size() < 2) {
            return;
        }
        long highest = copies.stream().mapToLong(Replica::highWatermark).max().orElse(0);
        long lowest = copies.stream().mapToLong(Replica::highWatermark).min().orElse(0);
        Replica reference = copies.get(0);
        NavigableMap<Long, String> expected = reference.records().headMap(highest, false);
        List<EpochEntry> expectedEpochs = epochsBelow(reference, lowest);
        for (Replica r : copies.subList(1, copies.size())) {
            NavigableMap<Long, String> actual = r.records().headMap(highest, false);
            if (!actual.equals(expected)) {
                violations.add("p" + p + " brokers " + reference.broker() + " and " + r.broker()
                        + " differ below high watermark " + highest + ": " + firstDifference(expected, actual));
            }
            List<EpochEntry> epochs = epochsBelow(r, lowest);
            if (!epochs.equals(expectedEpochs)) {
                violations.add("p" + p + " leader-epoch checkpoints differ below " + lowest + ": broker "
                        + reference.broker() + " " + expectedEpochs + ", broker " + r.broker() + " " + epochs);
            }
        }
    }

    private static List<EpochEntry> epochsBelow(Replica r, long offset) {
        return r.epochs().stream().filter(e -> e.startOffset() < offset).toList();
    }

    private static String firstDifference(NavigableMap<Long, String> a, NavigableMap<Long, String> b) {
        TreeMap<Long, String> all = new TreeMap<>(a);
        all.putAll(b);
        for (long offset : all.keySet()) {
            if (!Objects.equals(a.get(offset), b.get(offset))) {
                return "offset " + offset + ": " + a.get(offset) + " vs " + b.get(offset);
            }
        }
        return "none";
    }
}
