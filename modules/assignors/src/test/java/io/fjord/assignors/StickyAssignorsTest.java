package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.consumer.PartitionAssignor.Subscription;
import io.fjord.assignors.protocol.StickyAssignorUserData;
import io.fjord.assignors.protocol.StickyAssignorUserData.MemberData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sticky} and {@code cooperative-sticky} as properties over seeded random groups with
 * previous owners: complete, only to subscribers, balanced, as sticky as balance allows, and for
 * the cooperative one never handing over a partition its owner has not released.
 */
class StickyAssignorsTest {

    /** A group and what each member owned before, with the generation of that ownership. */
    record Case(Cluster cluster, Map<String, List<String>> topics, Map<String, List<TopicPartition>> owned,
                Map<String, Integer> generation, boolean identical) {

        /** Every partition of an existing topic some member subscribes to. */
        Set<TopicPartition> subscribedPartitions() {
            Set<TopicPartition> all = new HashSet<>();
            topics.values().forEach(ts -> ts.forEach(t -> cluster.partitionsForTopic(t)
                    .forEach(p -> all.add(p.topicPartition()))));
            return all;
        }

        /**
         * The previous owner each partition may keep, worked out here from the rule itself: among
         * the subscribed members that claim it, the one of the highest generation, unless several
         * share that generation.
         */
        Map<TopicPartition, String> validPreviousOwners() {
            Map<TopicPartition, Map<String, Integer>> claims = new HashMap<>();
            owned.forEach((m, ps) -> ps.forEach(tp -> {
                if (topics.get(m).contains(tp.topic()) && cluster.partition(tp).isPresent()) {
                    claims.computeIfAbsent(tp, k -> new HashMap<>()).put(m, generation.get(m));
                }
            }));
            Map<TopicPartition, String> valid = new HashMap<>();
            claims.forEach((tp, byMember) -> {
                int max = byMember.values().stream().max(Integer::compare).orElseThrow();
                List<String> top = byMember.entrySet().stream().filter(e -> e.getValue() == max).map(Map.Entry::getKey)
                        .toList();
                if (top.size() == 1) {
                    valid.put(tp, top.get(0));
                }
            });
            return valid;
        }

        Map<String, Subscription> eagerSubscriptions() {
            Map<String, Subscription> subs = new LinkedHashMap<>();
            topics.forEach((m, ts) -> subs.put(m, new Subscription(ts,
                    owned.containsKey(m) ? StickyAssignorUserData.encode(new MemberData(owned.get(m),
                            Optional.of(generation.get(m)))) : null,
                    List.of(), Optional.empty(), Optional.empty())));
            return subs;
        }

        Map<String, Subscription> cooperativeSubscriptions() {
            Map<String, Subscription> subs = new LinkedHashMap<>();
            topics.forEach((m, ts) -> subs.put(m, new Subscription(ts, null, owned.getOrDefault(m, List.of()),
                    owned.containsKey(m) ? Optional.of(generation.get(m)) : Optional.empty(), Optional.empty())));
            return subs;
        }
    }

    /**
     * Random topics and members; previous ownership either a balanced assignment of an earlier
     * group (members since left or joined) or arbitrary claims, some of them conflicting.
     */
    static Case randomCase(Random random, boolean identical, boolean conflicts) {
        return randomCase(random, identical, conflicts, true);
    }

    /**
     * @param vanished whether members may claim partitions that no longer exist (Kafka's assignor
     *        fails on those: partition counts never shrink there)
     */
    static Case randomCase(Random random, boolean identical, boolean conflicts, boolean vanished) {
        int topicCount = 1 + random.nextInt(6);
        int[] counts = new int[topicCount];
        List<String> allTopics = new ArrayList<>();
        for (int t = 0; t < topicCount; t++) {
            counts[t] = random.nextInt(21);
            allTopics.add("t" + t);
        }
        Cluster cluster = Scenarios.cluster(random, counts, false);
        List<String> common = Scenarios.subset(random, allTopics);
        Map<String, List<String>> topics = new TreeMap<>();
        int members = 1 + random.nextInt(12);
        for (int i = 0; i < members; i++) {
            topics.put("m" + Integer.toHexString(random.nextInt(1 << 12)) + "-" + i,
                    identical ? common : Scenarios.subset(random, allTopics));
        }
        List<String> memberIds = new ArrayList<>(topics.keySet());
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        Map<String, Integer> generation = new HashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int t = 0; t < topicCount; t++) {
            for (int p = 0; p < counts[t] + (vanished ? random.nextInt(2) : 0); p++) {
                partitions.add(new TopicPartition("t" + t, p)); // sometimes one that no longer exists
            }
        }
        for (TopicPartition tp : partitions) {
            if (random.nextInt(4) == 0) {
                continue;
            }
            int claimants = conflicts && random.nextInt(5) == 0 ? 2 : 1;
            for (int c = 0; c < claimants; c++) {
                String m = memberIds.get(random.nextInt(memberIds.size()));
                List<TopicPartition> list = owned.computeIfAbsent(m, k -> new ArrayList<>());
                if (!list.contains(tp)) {
                    list.add(tp);
                }
            }
        }
        for (String m : owned.keySet()) {
            generation.put(m, conflicts ? 3 + random.nextInt(3) : 5);
        }
        // Members without history never had an assignment: they join fresh.
        return new Case(cluster, topics, owned, generation, identical);
    }

    private static Map<String, List<TopicPartition>> run(PartitionAssignor assignor, Case c, Map<String, Subscription> subs) {
        return Kafka.assign(assignor, c.cluster(), subs);
    }

    /** Assigned at most once, only existing partitions, only to subscribers; returns the owner of each. */
    private static Map<TopicPartition, String> assertValid(Case c, Map<String, List<TopicPartition>> result) {
        assertEquals(c.topics().keySet(), result.keySet());
        Map<TopicPartition, String> owner = new HashMap<>();
        result.forEach((m, ps) -> ps.forEach(tp -> {
            String previous = owner.put(tp, m);
            assertEquals(null, previous, tp + " assigned to " + previous + " and " + m);
            assertTrue(c.topics().get(m).contains(tp.topic()), m + " got " + tp + " without subscribing");
            assertTrue(c.cluster().partition(tp).isPresent(), tp + " does not exist");
        }));
        return owner;
    }

    private static void assertBalanced(Case c, Map<String, List<TopicPartition>> result) {
        if (c.identical()) {
            int min = result.values().stream().mapToInt(List::size).min().orElse(0);
            int max = result.values().stream().mapToInt(List::size).max().orElse(0);
            assertTrue(max - min <= 1, "identical subscriptions, counts from " + min + " to " + max + ": " + result);
            return;
        }
        // No partition could move to a subscriber of its topic holding two or more fewer.
        result.forEach((a, ps) -> ps.forEach(tp -> c.topics().forEach((b, ts) -> {
            if (ts.contains(tp.topic())) {
                assertTrue(ps.size() - result.get(b).size() <= 1,
                        tp + " could move from " + a + " (" + ps.size() + ") to " + b + " (" + result.get(b).size() + ")");
            }
        })));
    }

    private static int kept(Map<TopicPartition, String> validPrevious, Map<String, List<TopicPartition>> result) {
        int kept = 0;
        for (Map.Entry<String, List<TopicPartition>> e : result.entrySet()) {
            for (TopicPartition tp : e.getValue()) {
                if (e.getKey().equals(validPrevious.get(tp))) {
                    kept++;
                }
            }
        }
        return kept;
    }

    /**
     * The most previous owners any balanced assignment can keep when all subscribe alike: every
     * member keeps at most P / M, plus one for as many members as there are extra slots, taken by
     * members that owned more.
     */
    private static int bestKeptWithIdenticalSubscriptions(Case c, Map<TopicPartition, String> validPrevious) {
        int partitions = c.subscribedPartitions().size();
        int members = c.topics().size();
        int minQuota = partitions / members;
        Map<String, Integer> owned = new HashMap<>();
        validPrevious.values().forEach(m -> owned.merge(m, 1, Integer::sum));
        int best = 0;
        int above = 0;
        for (int n : owned.values()) {
            best += Math.min(n, minQuota);
            if (n > minQuota) {
                above++;
            }
        }
        return best + Math.min(partitions % members, above);
    }

    @Test
    void stickyIsCompleteBalancedAndKeepsTheMostOwnersBalanceAllowsWithIdenticalSubscriptions() {
        Random random = new Random(11);
        for (int i = 0; i < 1500; i++) {
            Case c = randomCase(random, true, random.nextBoolean());
            Map<String, List<TopicPartition>> result = run(new StickyAssignor(), c, c.eagerSubscriptions());
            Map<TopicPartition, String> owner = assertValid(c, result);
            assertEquals(c.subscribedPartitions(), owner.keySet());
            assertBalanced(c, result);
            Map<TopicPartition, String> previous = c.validPreviousOwners();
            assertEquals(bestKeptWithIdenticalSubscriptions(c, previous), kept(previous, result), c.toString());
        }
    }

    @Test
    void stickyIsCompleteAndBalancedWithDifferentSubscriptions() {
        Random random = new Random(12);
        for (int i = 0; i < 1500; i++) {
            Case c = randomCase(random, false, random.nextBoolean());
            Map<String, List<TopicPartition>> result = run(new StickyAssignor(), c, c.eagerSubscriptions());
            Map<TopicPartition, String> owner = assertValid(c, result);
            assertEquals(c.subscribedPartitions(), owner.keySet());
            assertBalanced(c, result);
        }
    }

    /** Kafka's StickyAssignor on the same input, user data included, as the yardstick of stickiness. */
    @Test
    void stickyKeepsAtLeastAsManyPreviousOwnersAsKafkasWithDifferentSubscriptions() {
        Random random = new Random(13);
        int ours = 0;
        int theirs = 0;
        for (int i = 0; i < 1500; i++) {
            Case c = randomCase(random, false, false, false);
            Map<String, Subscription> subs = c.eagerSubscriptions();
            Map<TopicPartition, String> previous = c.validPreviousOwners();
            int fjordKept = kept(previous, run(new StickyAssignor(), c, subs));
            int kafkaKept = kept(previous, Kafka.assign(new org.apache.kafka.clients.consumer.StickyAssignor(),
                    c.cluster(), subs));
            ours += fjordKept;
            theirs += kafkaKept;
        }
        System.out.println("kept: fjord " + ours + ", kafka " + theirs);
        assertTrue(ours >= theirs, "Fjord kept " + ours + " previous owners, Kafka " + theirs);
    }

    @Test
    void cooperativeStickyNeverGivesAPartitionAnotherMemberStillOwns() {
        Random random = new Random(14);
        int withheld = 0;
        for (int i = 0; i < 1500; i++) {
            Case c = randomCase(random, random.nextBoolean(), random.nextBoolean());
            Map<String, Subscription> subs = c.cooperativeSubscriptions();
            Map<String, List<TopicPartition>> result = run(new CooperativeStickyAssignor(), c, subs);
            Map<TopicPartition, String> owner = assertValid(c, result);
            Map<TopicPartition, Set<String>> reported = new HashMap<>();
            subs.forEach((m, s) -> s.ownedPartitions().forEach(tp -> reported.computeIfAbsent(tp, k -> new HashSet<>()).add(m)));
            result.forEach((m, ps) -> ps.forEach(tp -> {
                Set<String> owners = reported.getOrDefault(tp, Set.of());
                assertTrue(owners.isEmpty() || owners.contains(m),
                        tp + " given to " + m + " while " + owners + " still own it");
            }));
            for (TopicPartition tp : c.subscribedPartitions()) {
                if (!owner.containsKey(tp)) {
                    withheld++;
                    assertFalse(reported.getOrDefault(tp, Set.of()).isEmpty(), tp + " left out though nobody owns it");
                }
            }
            if (c.identical()) {
                Map<TopicPartition, String> previous = c.validPreviousOwners();
                assertEquals(bestKeptWithIdenticalSubscriptions(c, previous), kept(previous, result), c.toString());
            }
        }
        assertTrue(withheld > 100, "the random groups should move owned partitions: " + withheld);
    }

    /**
     * Members revoke what they were not given and rejoin, until nothing is left out: with identical
     * subscriptions the second round is complete; in general within a few. The last round is
     * balanced and never moves what the first round handed out when subscriptions are identical.
     */
    @Test
    void cooperativeStickyConvergesToACompleteBalancedAssignment() {
        Random random = new Random(15);
        int[] roundsNeeded = new int[8];
        for (int i = 0; i < 1000; i++) {
            Case c = randomCase(random, random.nextBoolean(), random.nextBoolean());
            Map<String, List<TopicPartition>> first = run(new CooperativeStickyAssignor(), c, c.cooperativeSubscriptions());
            Map<String, List<TopicPartition>> result = first;
            Case round = c;
            int rounds = 1;
            while (!assertValid(round, result).keySet().equals(round.subscribedPartitions())) {
                assertTrue(rounds < 4, "no complete assignment after " + rounds + " rounds: " + c);
                Map<String, Integer> nextGeneration = new HashMap<>();
                for (String m : c.topics().keySet()) {
                    nextGeneration.put(m, 6 + rounds);
                }
                round = new Case(c.cluster(), c.topics(), result, nextGeneration, c.identical());
                result = run(new CooperativeStickyAssignor(), round, round.cooperativeSubscriptions());
                rounds++;
            }
            roundsNeeded[rounds]++;
            if (c.identical()) {
                assertTrue(rounds <= 2, "identical subscriptions took " + rounds + " rounds: " + c);
                Map<String, List<TopicPartition>> last = result;
                first.forEach((m, ps) -> assertTrue(last.get(m).containsAll(ps), m + " lost " + ps + " -> " + last.get(m)));
            }
            assertBalanced(round, result);
        }
        System.out.println("cooperative rounds needed: " + java.util.Arrays.toString(roundsNeeded));
    }

    @Test
    void cooperativeStickyAdvertisesCooperativeThenEager() {
        assertEquals(List.of(PartitionAssignor.RebalanceProtocol.COOPERATIVE, PartitionAssignor.RebalanceProtocol.EAGER),
                new CooperativeStickyAssignor().supportedProtocols());
        assertEquals(List.of(PartitionAssignor.RebalanceProtocol.EAGER), new StickyAssignor().supportedProtocols());
    }
}
