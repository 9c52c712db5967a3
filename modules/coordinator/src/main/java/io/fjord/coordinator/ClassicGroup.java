package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.store.GroupMetadataValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
 * only grows; the state changes only through {@link #transitionTo}, which refuses a move
 * {@link GroupState} does not allow.
 *
 * <p>Thread safety: every field, and every member's, is guarded by this object's monitor; the
 * managers hold it for the whole of an operation on the group, and for the replay of its records.
 */
final class ClassicGroup {

    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final String groupId;
    private GroupState state;
    private GroupState previousState;
    /** Wall-clock ms when the group entered its state; bases offset expiry of Empty groups. */
    private long currentStateTimestamp;
    private int generationId;
    /** Null until a member joins; kept while the group is Empty afterwards, as Kafka does. */
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED and not yet used, with their expiry. */
    private final Map<String, Deadline> pendingMembers = new HashMap<>();
    /** Members that have not sent SyncGroup since the join phase completed. */
    private final Set<String> pendingSync = new HashSet<>();
    private final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
    /** The subscribed topics of a consumer group, or null when unknown (then every topic counts). */
    private Set<String> subscribedTopics;
    private Deadline joinDeadline;
    private Deadline syncDeadline;
    /** Set when a member joins during the initial delay, which then extends itself. */
    private boolean newMemberAdded;

    /** A new group: Empty, without members, protocol or offsets. */
    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.state = GroupState.EMPTY;
        this.previousState = GroupState.EMPTY;
        this.currentStateTimestamp = now;
    }

    /**
     * The group a {@code GroupMetadataValue} record describes: Stable with its members and their
     * assignments, or Empty when it has none. Sessions are not running yet; the loader starts them.
     */
    static ClassicGroup fromRecord(String groupId, GroupMetadataValue value, long now) {
        ClassicGroup group = new ClassicGroup(groupId, now);
        group.protocolType = value.protocolType().isEmpty() && value.members().isEmpty() ? null : value.protocolType();
        group.generationId = value.generation();
        group.protocolName = value.protocol();
        group.leaderId = value.leader();
        String protocol = value.protocol() == null ? "" : value.protocol();
        for (GroupMetadataValue.MemberMetadata m : value.members()) {
            GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeout(), m.sessionTimeout(), List.of(new JoinProtocol(protocol, m.subscription())));
            member.assignment(m.assignment());
            group.add(member);
        }
        if (group.members.isEmpty()) {
            group.leaderId = null;
            group.currentStateTimestamp = value.currentStateTimestamp() >= 0 ? value.currentStateTimestamp() : now;
        } else {
            // A group with members was Stable when its metadata was written: that is its first state here.
            group.state = GroupState.STABLE;
            group.previousState = GroupState.STABLE;
            group.subscribedTopics = group.computeSubscribedTopics();
        }
        return group;
    }

    /** The {@code GroupMetadataValue} record of the group as it is now. */
    GroupMetadataValue toRecord() {
        List<GroupMetadataValue.MemberMetadata> list = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            list.add(new GroupMetadataValue.MemberMetadata(m.memberId(), m.groupInstanceId(), m.clientId(),
                    m.clientHost(), m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), m.metadata(protocolName),
                    m.assignment()));
        }
        return new GroupMetadataValue(protocolType == null ? "" : protocolType, generationId, protocolName, leaderId,
                currentStateTimestamp, list);
    }

    // ---------------------------------------------------------------- state

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    GroupState previousState() {
        return previousState;
    }

    /**
     * Moves the group to {@code next}.
     *
     * @throws IllegalStateException for a move {@link GroupState#canTransitionTo} refuses: a bug
     */
    void transitionTo(GroupState next, long now) {
        if (!state.canTransitionTo(next)) {
            throw new IllegalStateException("Group " + groupId + " cannot move from " + state.kafkaName() + " to "
                    + next.kafkaName());
        }
        previousState = state;
        state = next;
        currentStateTimestamp = now;
    }

    long currentStateTimestamp() {
        return currentStateTimestamp;
    }

    int generationId() {
        return generationId;
    }

    /** Null for a group that never had a member. */
    String protocolType() {
        return protocolType;
    }

    /** The chosen protocol, or null while the group has no generation with members. */
    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /**
     * Ends the join phase: the generation grows and the group moves to CompletingRebalance with
     * the protocol its members choose, or to Empty when none is left.
     */
    void initNextGeneration(long now) {
        generationId++;
        if (members.isEmpty()) {
            protocolName = null;
            subscribedTopics = null;
            transitionTo(GroupState.EMPTY, now);
            return;
        }
        protocolName = selectProtocol();
        if (!members.containsKey(leaderId)) {
            leaderId = members.keySet().iterator().next();
        }
        subscribedTopics = computeSubscribedTopics();
        transitionTo(GroupState.COMPLETING_REBALANCE, now);
    }

    // ---------------------------------------------------------------- members

    /** The members in join order; a view to read, not to change. */
    Collection<GroupMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    int memberCount() {
        return members.size();
    }

    /** The member id of the static member {@code instanceId}, or null. */
    String staticMemberId(String instanceId) {
        return staticMembers.get(instanceId);
    }

    /** Adds a joining member; the first member of an Empty group sets its protocol type. */
    void add(GroupMember member, String joinedProtocolType) {
        if (members.isEmpty()) {
            protocolType = joinedProtocolType;
        }
        add(member);
        if (state == GroupState.PREPARING_REBALANCE) {
            newMemberAdded = true;
        }
    }

    private void add(GroupMember member) {
        members.put(member.memberId(), member);
        if (member.groupInstanceId() != null) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    void remove(GroupMember member) {
        members.remove(member.memberId());
        pendingSync.remove(member.memberId());
        if (member.groupInstanceId() != null && member.memberId().equals(staticMembers.get(member.groupInstanceId()))) {
            staticMembers.remove(member.groupInstanceId());
        }
        if (member.memberId().equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /**
     * Puts {@code replacement} in the place of the static member {@code current} (same instance
     * id): its position in join order, its leadership and its pending sync.
     */
    void replaceStaticMember(GroupMember current, GroupMember replacement) {
        LinkedHashMap<String, GroupMember> reordered = new LinkedHashMap<>();
        for (Map.Entry<String, GroupMember> e : members.entrySet()) {
            if (e.getKey().equals(current.memberId())) {
                reordered.put(replacement.memberId(), replacement);
            } else {
                reordered.put(e.getKey(), e.getValue());
            }
        }
        members.clear();
        members.putAll(reordered);
        staticMembers.put(current.groupInstanceId(), replacement.memberId());
        if (pendingSync.remove(current.memberId())) {
            pendingSync.add(replacement.memberId());
        }
        if (current.memberId().equals(leaderId)) {
            leaderId = replacement.memberId();
        }
    }

    /** Validates a member id and optional instance id against the group, as Kafka's validateMember. */
    Errors validateMember(String memberId, String instanceId) {
        if (instanceId != null) {
            String current = staticMembers.get(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return current.equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /** The longest rebalance timeout among the members: how long a join phase may take. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs());
        }
        return max;
    }

    int awaitingJoinCount() {
        int n = 0;
        for (GroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                n++;
            }
        }
        return n;
    }

    boolean allMembersJoined() {
        return awaitingJoinCount() == members.size() && pendingMembers.isEmpty();
    }

    /** Every member with its metadata for the chosen protocol: what the leader assigns from. */
    List<JoinGroupResult.Member> membersForLeader() {
        List<JoinGroupResult.Member> list = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            list.add(new JoinGroupResult.Member(m.memberId(), m.groupInstanceId(), m.metadata(protocolName)));
        }
        return list;
    }

    // ---------------------------------------------------------------- pending member ids and syncs

    void addPendingMember(String memberId, Deadline expiry) {
        pendingMembers.put(memberId, expiry);
    }

    /** Removes a pending member id; returns its expiry, or null if it was not pending. */
    Deadline removePendingMember(String memberId) {
        return pendingMembers.remove(memberId);
    }

    /** Removes a pending member id if {@code expiry} is still its expiry; whether it did. */
    boolean removePendingMember(String memberId, Deadline expiry) {
        return pendingMembers.remove(memberId, expiry);
    }

    /** Every member owes a SyncGroup for the generation that just began. */
    void expectSyncFromAll() {
        pendingSync.addAll(members.keySet());
    }

    void synced(String memberId) {
        pendingSync.remove(memberId);
    }

    /** The members that owe a SyncGroup, in no order; a copy. */
    List<String> pendingSyncMembers() {
        return new ArrayList<>(pendingSync);
    }

    void clearPendingSync() {
        pendingSync.clear();
    }

    Deadline joinDeadline() {
        return joinDeadline;
    }

    void joinDeadline(Deadline deadline) {
        joinDeadline = deadline;
    }

    Deadline syncDeadline() {
        return syncDeadline;
    }

    void syncDeadline(Deadline deadline) {
        syncDeadline = deadline;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void newMemberAdded(boolean added) {
        newMemberAdded = added;
    }

    /** Every live deadline of the group and its members, to cancel them all when it is unloaded. */
    List<Deadline> deadlines() {
        List<Deadline> all = new ArrayList<>(pendingMembers.values());
        for (GroupMember m : members.values()) {
            if (m.heartbeat() != null) {
                all.add(m.heartbeat());
            }
        }
        if (joinDeadline != null) {
            all.add(joinDeadline);
        }
        if (syncDeadline != null) {
            all.add(syncDeadline);
        }
        return all;
    }

    // ---------------------------------------------------------------- offsets

    CommittedOffset offset(TopicPartition tp) {
        return offsets.get(tp);
    }

    /** The committed offsets; a view to read, not to change. */
    Map<TopicPartition, CommittedOffset> offsets() {
        return Collections.unmodifiableMap(offsets);
    }

    boolean hasOffsets() {
        return !offsets.isEmpty();
    }

    void putOffset(TopicPartition tp, CommittedOffset offset) {
        offsets.put(tp, offset);
    }

    void removeOffset(TopicPartition tp) {
        offsets.remove(tp);
    }

    /** Takes over the offsets of the group this one replaces at load (same id, older record). */
    void takeOffsets(ClassicGroup replaced) {
        offsets.putAll(replaced.offsets);
    }

    // ---------------------------------------------------------------- protocols and subscriptions

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
            if (supportedByEveryone(p.name())) {
                return true;
            }
        }
        return false;
    }

    private boolean supportedByEveryone(String protocol) {
        for (GroupMember m : members.values()) {
            if (!m.supports(protocol)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The protocol the members choose: among those every member supports, each member votes for
     * the first one in its own order of preference; most votes wins, ties go to the earlier
     * choice of the first member.
     */
    String selectProtocol() {
        List<String> candidates = new ArrayList<>();
        GroupMember first = members.values().iterator().next();
        for (JoinProtocol p : first.protocols()) {
            if (supportedByEveryone(p.name())) {
                candidates.add(p.name());
            }
        }
        Map<String, Integer> votes = new HashMap<>();
        for (GroupMember m : members.values()) {
            for (JoinProtocol p : m.protocols()) {
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

    /** The topics a Stable consumer group subscribes to, or null when not known (not a consumer group). */
    Set<String> subscribedTopics() {
        return subscribedTopics;
    }

    /** Whether offsets of {@code topic} belong to a subscription of this group (OffsetDelete). */
    boolean isSubscribedTo(String topic) {
        if (members.isEmpty()) {
            return false;
        }
        return subscribedTopics == null || subscribedTopics.contains(topic);
    }

    private Set<String> computeSubscribedTopics() {
        if (!CONSUMER_PROTOCOL_TYPE.equals(protocolType)) {
            return null;
        }
        Set<String> topics = new HashSet<>();
        for (GroupMember m : members.values()) {
            Set<String> t = ConsumerSubscriptions.topics(m.metadata(protocolName));
            if (t == null) {
                return null;
            }
            topics.addAll(t);
        }
        return topics;
    }
}
