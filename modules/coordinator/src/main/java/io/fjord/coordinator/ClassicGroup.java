package io.fjord.coordinator;

import io.fjord.api.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory state of one classic group: its state, generation, chosen protocol, leader,
 * members (in join order), static members, pending member ids and committed offsets. The log of
 * {@code __consumer_offsets} holds its history; this is the latest value of each key.
 *
 * <p>Invariants: the leader is a member or null; every static member is a member and the static
 * index maps its instance id to it; a group with members is never Empty or Dead; the generation
 * only grows.
 *
 * <p>Thread safety: every field is guarded by this object's monitor; {@link GroupCoordinator}
 * locks it for every operation on the group.
 */
final class ClassicGroup {

    final String groupId;
    GroupState state = GroupState.EMPTY;
    GroupState previousState = GroupState.EMPTY;
    /** Wall-clock ms when the group entered its state; bases offset expiry of Empty groups. */
    long currentStateTimestamp;
    int generationId;
    /** Null until a member joins; kept while the group is Empty afterwards, as Kafka does. */
    String protocolType;
    String protocolName;
    String leaderId;
    final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED and not yet used, with their expiry. */
    final Map<String, Deadline> pendingMembers = new HashMap<>();
    /** Members that have not sent SyncGroup since the join phase completed. */
    final Set<String> pendingSync = new HashSet<>();
    final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
    /** The subscribed topics of a consumer group, or null when unknown (then every topic counts). */
    Set<String> subscribedTopics;
    Deadline joinDeadline;
    Deadline syncDeadline;
    /** Set when a member joins during the initial delay, which then extends itself. */
    boolean newMemberAdded;

    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.currentStateTimestamp = now;
    }

    void transitionTo(GroupState next, long now) {
        previousState = state;
        state = next;
        currentStateTimestamp = now;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    void add(GroupMember member) {
        members.put(member.memberId, member);
        if (member.groupInstanceId != null) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
        if (state == GroupState.PREPARING_REBALANCE) {
            newMemberAdded = true;
        }
    }

    void remove(GroupMember member) {
        members.remove(member.memberId);
        pendingSync.remove(member.memberId);
        if (member.groupInstanceId != null && member.memberId.equals(staticMembers.get(member.groupInstanceId))) {
            staticMembers.remove(member.groupInstanceId);
        }
        if (member.memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Replaces a static member under a new member id, keeping its place, leadership and assignment. */
    GroupMember replaceStatic(GroupMember old, String newMemberId, JoinGroupRequest req) {
        GroupMember fresh = new GroupMember(newMemberId, old.groupInstanceId, req.clientId(), req.clientHost(),
                rebalanceTimeout(req), req.sessionTimeoutMs(), req.protocols());
        fresh.assignment(old.assignment);
        LinkedHashMap<String, GroupMember> reordered = new LinkedHashMap<>();
        for (Map.Entry<String, GroupMember> e : members.entrySet()) {
            if (e.getKey().equals(old.memberId)) {
                reordered.put(newMemberId, fresh);
            } else {
                reordered.put(e.getKey(), e.getValue());
            }
        }
        members.clear();
        members.putAll(reordered);
        staticMembers.put(old.groupInstanceId, newMemberId);
        if (pendingSync.remove(old.memberId)) {
            pendingSync.add(newMemberId);
        }
        if (old.memberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        return fresh;
    }

    static int rebalanceTimeout(JoinGroupRequest req) {
        // JoinGroup v0 has no rebalance timeout: the session timeout stands in for it, as in Kafka.
        return req.rebalanceTimeoutMs() < 0 ? req.sessionTimeoutMs() : req.rebalanceTimeoutMs();
    }

    /** The longest rebalance timeout among the members: how long a join phase may take. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    int awaitingJoinCount() {
        int n = 0;
        for (GroupMember m : members.values()) {
            if (m.awaitingJoin != null) {
                n++;
            }
        }
        return n;
    }

    boolean allMembersJoined() {
        return awaitingJoinCount() == members.size() && pendingMembers.isEmpty();
    }

    /**
     * Whether a member with these protocols may join: an Empty group takes any non-empty
     * protocol type and list; otherwise the type must match and some protocol must be supported
     * by every member and the joiner.
     */
    boolean supportsProtocols(String type, List<JoinProtocol> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (JoinProtocol p : protocols) {
            boolean everyone = true;
            for (GroupMember m : members.values()) {
                everyone &= m.supports(p.name());
            }
            if (everyone) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol the members choose: among those every member supports, each member votes for
     * the first one in its own order of preference; most votes wins, ties go to the earlier
     * choice of the first member.
     */
    String selectProtocol() {
        List<String> candidates = new ArrayList<>();
        GroupMember first = members.values().iterator().next();
        for (JoinProtocol p : first.protocols) {
            boolean everyone = true;
            for (GroupMember m : members.values()) {
                everyone &= m.supports(p.name());
            }
            if (everyone) {
                candidates.add(p.name());
            }
        }
        Map<String, Integer> votes = new HashMap<>();
        for (GroupMember m : members.values()) {
            for (JoinProtocol p : m.protocols) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (String c : candidates) {
            int v = votes.getOrDefault(c, 0);
            if (v > bestVotes) {
                best = c;
                bestVotes = v;
            }
        }
        return best;
    }

    /** Whether offsets of {@code topic} belong to a subscription of this group (OffsetDelete). */
    boolean isSubscribedTo(String topic) {
        if (members.isEmpty()) {
            return false;
        }
        return subscribedTopics == null || subscribedTopics.contains(topic);
    }
}
