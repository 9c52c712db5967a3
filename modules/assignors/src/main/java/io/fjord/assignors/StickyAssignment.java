package io.fjord.assignors;

import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.assignors.protocol.StickyAssignorUserData.MemberData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The assignment both sticky assignors compute: balanced first, then as few moves as balance
 * allows.
 *
 * <ol>
 *   <li>Previous owners: each member's claimed partitions (of topics it still subscribes to and
 *       that still exist). When several members claim one partition, the claim of the highest
 *       generation wins; claims tied at the highest generation cancel out, so nobody keeps it
 *       (Kafka's rule).</li>
 *   <li>Identical subscriptions: with {@code P} partitions and {@code M} members every member gets
 *       {@code P / M} or one more, and exactly {@code P % M} members get one more. Members keep up
 *       to the lower quota of what they owned; the extra slots go first to members that owned more
 *       than the lower quota. This keeps the most previous owners any balanced assignment can:
 *       {@code sum(min(owned, P / M)) + min(P % M, members that owned more than P / M)}.</li>
 *   <li>Different subscriptions: members keep all they owned; unowned partitions go, topics with
 *       the fewest subscribers first, to the subscriber holding the fewest partitions; then, while
 *       some partition could move to a subscriber of its topic holding two or more fewer
 *       partitions than its owner, it moves (partitions the owner did not own before move first).
 *       Each move lowers the sum of squared counts, so this ends; at the end no single move can
 *       even out the counts, which is Kafka's definition of balanced.</li>
 * </ol>
 *
 * <p>Partitions are ints internally (an index over the sorted topics' partitions), so the
 * large cases cost arrays, not maps.
 */
final class StickyAssignment {

    private final List<String> members;
    private final String[] topics;
    private final int[] topicStart;
    private final TopicPartition[] partitions;
    private final int[] topicOf;
    /** Partition numbers by index, ascending within each topic. */
    private final int[] partitionNumber;
    private final Map<String, Integer> topicIndex = new HashMap<>();
    private final int[][] subscribersOf;
    private final BitSet[] subscribed;
    private final int[] previousOwner;
    private final int[] owner;
    private final int[] count;

    private StickyAssignment(GroupInput input, Map<String, MemberData> history) {
        members = new ArrayList<>(input.subscriptions.keySet());
        members.sort(null);
        int memberCount = members.size();
        topics = input.partitionsByTopic.keySet().toArray(new String[0]);
        topicStart = new int[topics.length + 1];
        int total = 0;
        for (int t = 0; t < topics.length; t++) {
            topicIndex.put(topics[t], t);
            topicStart[t] = total;
            total += input.partitionsByTopic.get(topics[t]).size();
        }
        topicStart[topics.length] = total;
        partitions = new TopicPartition[total];
        topicOf = new int[total];
        partitionNumber = new int[total];
        for (int t = 0; t < topics.length; t++) {
            int i = topicStart[t];
            for (PartitionInfo p : input.partitionsByTopic.get(topics[t])) {
                partitions[i] = p.topicPartition();
                topicOf[i] = t;
                partitionNumber[i] = p.partition();
                i++;
            }
        }

        subscribed = new BitSet[memberCount];
        int[] subscriberCount = new int[topics.length];
        for (int m = 0; m < memberCount; m++) {
            subscribed[m] = new BitSet(topics.length);
            for (String topic : input.subscriptions.get(members.get(m)).topics()) {
                Integer t = topicIndex.get(topic);
                if (t != null && !subscribed[m].get(t)) {
                    subscribed[m].set(t);
                    subscriberCount[t]++;
                }
            }
        }
        subscribersOf = new int[topics.length][];
        for (int t = 0; t < topics.length; t++) {
            subscribersOf[t] = new int[subscriberCount[t]];
        }
        int[] filled = new int[topics.length];
        for (int m = 0; m < memberCount; m++) {
            for (int t = subscribed[m].nextSetBit(0); t >= 0; t = subscribed[m].nextSetBit(t + 1)) {
                subscribersOf[t][filled[t]++] = m;
            }
        }

        previousOwner = resolvePreviousOwners(history);
        owner = previousOwner.clone();
        count = new int[memberCount];
    }

    /**
     * Computes the assignment.
     *
     * @param history each member's previous partitions and their generation; members without one
     *        are absent or have an empty list
     * @param cooperative whether to leave out, for this round, each partition given to a member
     *        that did not report owning it while another member did (see
     *        {@link CooperativeStickyAssignor})
     * @return a mutable list per member id
     */
    static Map<String, List<TopicPartition>> assign(GroupInput input, Map<String, MemberData> history,
                                                    boolean cooperative) {
        Map<String, List<TopicPartition>> result = input.emptyAssignment();
        if (input.subscriptions.isEmpty()) {
            return result;
        }
        StickyAssignment a = new StickyAssignment(input, history);
        if (a.allSubscriptionsEqual()) {
            a.assignEqualSubscriptions();
        } else {
            a.assignGeneral();
        }
        boolean[] withheld = cooperative ? a.stillOwnedElsewhere(input) : new boolean[a.partitions.length];
        for (int p = 0; p < a.partitions.length; p++) {
            if (!withheld[p]) {
                result.get(a.members.get(a.owner[p])).add(a.partitions[p]);
            }
        }
        return result;
    }

    /**
     * The partitions whose new owner did not report owning them while some member did: their
     * owner must revoke them before anyone else may take them.
     */
    private boolean[] stillOwnedElsewhere(GroupInput input) {
        boolean[] reported = new boolean[partitions.length];
        boolean[] reportedByNewOwner = new boolean[partitions.length];
        for (int m = 0; m < members.size(); m++) {
            for (TopicPartition tp : input.subscriptions.get(members.get(m)).ownedPartitions()) {
                int p = indexOf(tp);
                if (p >= 0) {
                    reported[p] = true;
                    if (owner[p] == m) {
                        reportedByNewOwner[p] = true;
                    }
                }
            }
        }
        boolean[] withheld = new boolean[partitions.length];
        for (int p = 0; p < partitions.length; p++) {
            withheld[p] = reported[p] && !reportedByNewOwner[p];
        }
        return withheld;
    }

    /** The index of a partition, or -1 when its topic is not subscribed or it does not exist. */
    private int indexOf(TopicPartition tp) {
        Integer t = topicIndex.get(tp.topic());
        if (t == null) {
            return -1;
        }
        int found = Arrays.binarySearch(partitionNumber, topicStart[t], topicStart[t + 1], tp.partition());
        return found >= 0 ? found : -1;
    }

    private int[] resolvePreviousOwners(Map<String, MemberData> history) {
        int[] claimant = new int[partitions.length];
        int[] claimGeneration = new int[partitions.length];
        boolean[] tied = new boolean[partitions.length];
        Arrays.fill(claimant, -1);
        for (int m = 0; m < members.size(); m++) {
            MemberData data = history.get(members.get(m));
            if (data == null) {
                continue;
            }
            int generation = data.generation().orElse(-1);
            for (TopicPartition tp : data.partitions()) {
                int p = indexOf(tp);
                if (p < 0 || !subscribed[m].get(topicOf[p]) || claimant[p] == m) {
                    continue;
                }
                if (claimant[p] == -1 || generation > claimGeneration[p]) {
                    claimant[p] = m;
                    claimGeneration[p] = generation;
                    tied[p] = false;
                } else if (generation == claimGeneration[p]) {
                    tied[p] = true;
                }
            }
        }
        for (int p = 0; p < partitions.length; p++) {
            if (tied[p]) {
                claimant[p] = -1;
            }
        }
        return claimant;
    }

    private boolean allSubscriptionsEqual() {
        for (int m = 1; m < subscribed.length; m++) {
            if (!subscribed[m].equals(subscribed[0])) {
                return false;
            }
        }
        return true;
    }

    private void assignEqualSubscriptions() {
        int memberCount = members.size();
        if (subscribed[0].isEmpty()) {
            return;
        }
        int minQuota = partitions.length / memberCount;
        int extraSlots = partitions.length % memberCount;

        int[] ownedCount = new int[memberCount];
        for (int p = 0; p < partitions.length; p++) {
            if (owner[p] >= 0) {
                ownedCount[owner[p]]++;
            }
        }
        // Extra slots to those who owned the most, so they lose the least.
        Integer[] byOwned = new Integer[memberCount];
        for (int m = 0; m < memberCount; m++) {
            byOwned[m] = m;
        }
        Arrays.sort(byOwned, (a, b) -> ownedCount[a] != ownedCount[b]
                ? Integer.compare(ownedCount[b], ownedCount[a]) : Integer.compare(a, b));
        int[] keep = new int[memberCount];
        for (int m : byOwned) {
            keep[m] = Math.min(ownedCount[m], minQuota);
            if (ownedCount[m] > minQuota && extraSlots > 0) {
                keep[m] = minQuota + 1;
                extraSlots--;
            }
        }
        for (int p = 0; p < partitions.length; p++) {
            int m = owner[p];
            if (m >= 0) {
                if (count[m] < keep[m]) {
                    count[m]++;
                } else {
                    owner[p] = -1;
                }
            }
        }

        int next = nextUnowned(0);
        for (int m = 0; m < memberCount; m++) {
            while (count[m] < minQuota) {
                owner[next] = m;
                count[m]++;
                next = nextUnowned(next + 1);
            }
        }
        for (int m = 0; m < memberCount && extraSlots > 0; m++) {
            if (count[m] == minQuota) {
                owner[next] = m;
                count[m]++;
                extraSlots--;
                next = nextUnowned(next + 1);
            }
        }
    }

    private int nextUnowned(int from) {
        int p = from;
        while (p < owner.length && owner[p] >= 0) {
            p++;
        }
        return p;
    }

    private void assignGeneral() {
        for (int p = 0; p < partitions.length; p++) {
            if (owner[p] >= 0) {
                count[owner[p]]++;
            }
        }
        // Topics with the fewest subscribers first: they have the fewest places to go.
        Integer[] topicOrder = new Integer[topics.length];
        for (int t = 0; t < topics.length; t++) {
            topicOrder[t] = t;
        }
        Arrays.sort(topicOrder, (a, b) -> subscribersOf[a].length != subscribersOf[b].length
                ? Integer.compare(subscribersOf[a].length, subscribersOf[b].length) : Integer.compare(a, b));
        for (int t : topicOrder) {
            for (int p = topicStart[t]; p < topicStart[t + 1]; p++) {
                if (owner[p] < 0) {
                    int m = leastLoadedSubscriber(t);
                    owner[p] = m;
                    count[m]++;
                }
            }
        }

        boolean moved = true;
        while (moved) {
            moved = false;
            for (int t : topicOrder) {
                while (moveOnePartitionOf(t)) {
                    moved = true;
                }
            }
        }
    }

    private int leastLoadedSubscriber(int topic) {
        int best = -1;
        for (int m : subscribersOf[topic]) {
            if (best < 0 || count[m] < count[best]) {
                best = m;
            }
        }
        return best;
    }

    /**
     * Moves one partition of {@code topic} from the most loaded owner to the least loaded
     * subscriber if they differ by two or more; prefers a partition its owner did not own before.
     */
    private boolean moveOnePartitionOf(int topic) {
        int donorPartition = -1;
        int donorCount = -1;
        boolean donorSticky = true;
        for (int p = topicStart[topic]; p < topicStart[topic + 1]; p++) {
            int c = count[owner[p]];
            boolean sticky = owner[p] == previousOwner[p];
            if (c > donorCount || (c == donorCount && donorSticky && !sticky)) {
                donorPartition = p;
                donorCount = c;
                donorSticky = sticky;
            }
        }
        if (donorPartition < 0) {
            return false;
        }
        int receiver = leastLoadedSubscriber(topic);
        if (donorCount - count[receiver] < 2) {
            return false;
        }
        count[owner[donorPartition]]--;
        owner[donorPartition] = receiver;
        count[receiver]++;
        return true;
    }
}
