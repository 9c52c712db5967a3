package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.common.errors.Errors;
import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.DescribeGroupsRequest;
import io.fjord.protocol.message.DescribeGroupsResponse;
import io.fjord.protocol.message.DescribeGroupsResponse.DescribedGroup;
import io.fjord.protocol.message.FindCoordinatorRequest;
import io.fjord.protocol.message.FindCoordinatorResponse;
import io.fjord.protocol.message.HeartbeatRequest;
import io.fjord.protocol.message.HeartbeatResponse;
import io.fjord.protocol.message.JoinGroupRequest;
import io.fjord.protocol.message.JoinGroupResponse;
import io.fjord.protocol.message.LeaveGroupRequest;
import io.fjord.protocol.message.LeaveGroupResponse;
import io.fjord.protocol.message.OffsetCommitRequest;
import io.fjord.protocol.message.OffsetCommitResponse;
import io.fjord.protocol.message.OffsetFetchRequest;
import io.fjord.protocol.message.OffsetFetchResponse;
import io.fjord.protocol.message.SyncGroupRequest;
import io.fjord.protocol.message.SyncGroupResponse;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static io.fjord.broker.GroupSupport.assignments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group members that break the rules on purpose, spoken request by request over raw connections
 * with the protocol module's codecs: wrong group ids, session timeouts out of range, unknown
 * members, stale generations, a follower that tries to set assignments, a member that stops
 * heartbeating, and a storm of hundreds of members joining and leaving. Each gets Kafka's error,
 * the group keeps no ghost members, and a normal consumer group beside it goes on consuming.
 */
class GroupHostileClientTest {

    private static final short JOIN_VERSION = 5;
    private static final short SYNC_VERSION = 3;
    private static final short HEARTBEAT_VERSION = 3;
    private static final short LEAVE_VERSION = 3;
    private static final short COMMIT_VERSION = 7;
    private static final short DESCRIBE_VERSION = 4;
    private static final short FIND_COORDINATOR_VERSION = 2;
    private static final int REBALANCE_TIMEOUT_MS = 10_000;
    /** The Java members' max.poll.interval.ms where a test waits out a rebalance timeout. */
    private static final int JAVA_REBALANCE_TIMEOUT_MS = 3_000;

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir, GroupSupport.BROKER_SETTINGS);
        admin = fixture.admin();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        admin.close();
        fixture.close();
    }

    private RawMember raw(String group, String clientId) throws IOException {
        RawMember member = new RawMember(fixture.broker().boundPort(), clientId, group);
        closeables.add(member);
        return member;
    }

    private PolledConsumer javaMember(String group, String clientId, String topic) {
        PolledConsumer member = GroupSupport.member(fixture.bootstrap(), group, clientId, topic, Map.of());
        closeables.add(member);
        return member;
    }

    /** Kafka's ConsumerProtocol subscription to {@code topic}, as the Java client sends it. */
    private static ByteBuffer subscription(String topic) {
        return ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(topic)));
    }

    private static ByteBuffer assignment(Set<TopicPartition> partitions) {
        return ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(new ArrayList<>(partitions)));
    }

    private static Set<TopicPartition> partitionsOf(ByteBuffer assignmentBytes) {
        return new HashSet<>(ConsumerProtocol.deserializeAssignment(assignmentBytes.duplicate()).partitions());
    }

    /**
     * One member of a classic group driven request by request over its own connection. It
     * remembers the member id and generation the coordinator gave it, and sends what it is told,
     * right or wrong.
     */
    private static final class RawMember implements AutoCloseable {
        final WireClient wire;
        final String clientId;
        final String group;
        String memberId = "";
        int generation = -1;

        RawMember(int port, String clientId, String group) throws IOException {
            this.wire = WireClient.connect(port, clientId);
            this.clientId = clientId;
            this.group = group;
        }

        int rebalanceTimeoutMs = REBALANCE_TIMEOUT_MS;

        JoinGroupRequest joinRequest(int sessionTimeoutMs, String protocolType, ByteBuffer metadata) {
            return new JoinGroupRequest()
                    .setGroupId(group)
                    .setSessionTimeoutMs(sessionTimeoutMs)
                    .setRebalanceTimeoutMs(rebalanceTimeoutMs)
                    .setMemberId(memberId)
                    .setProtocolType(protocolType)
                    .setProtocols(List.of(new JoinGroupRequest.JoinGroupRequestProtocol()
                            .setName("range")
                            .setMetadata(metadata)));
        }

        /** Sends a JoinGroup without waiting: the coordinator parks it until the join phase completes. */
        int sendJoin(int sessionTimeoutMs, ByteBuffer metadata) throws IOException {
            return wire.send(JOIN_VERSION, joinRequest(sessionTimeoutMs, "consumer", metadata));
        }

        /** Reads a JoinGroup answer and takes the member id and generation it carries. */
        JoinGroupResponse receiveJoin(int correlationId) throws IOException {
            JoinGroupResponse response = wire.receive(ApiKeys.JOIN_GROUP, JOIN_VERSION, correlationId,
                    JoinGroupResponse.class);
            short error = response.errorCode();
            if (error == Errors.NONE.code() || error == Errors.MEMBER_ID_REQUIRED.code()) {
                memberId = response.memberId();
            }
            if (error == Errors.NONE.code()) {
                generation = response.generationId();
            }
            return response;
        }

        /** The first JoinGroup of a dynamic member: MEMBER_ID_REQUIRED with an id to join with (v4+). */
        void obtainMemberId(int sessionTimeoutMs, ByteBuffer metadata) throws IOException {
            JoinGroupResponse first = receiveJoin(sendJoin(sessionTimeoutMs, metadata));
            assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode(), "a dynamic member's first join");
            assertTrue(memberId.startsWith(clientId + "-"), "Kafka's member id is the client id, a dash and a UUID: " + memberId);
        }

        SyncGroupResponse sync(int generationId, Map<String, ByteBuffer> assignments) throws IOException {
            SyncGroupRequest request = new SyncGroupRequest()
                    .setGroupId(group)
                    .setGenerationId(generationId)
                    .setMemberId(memberId);
            assignments.forEach((member, bytes) -> request.assignments().add(
                    new SyncGroupRequest.SyncGroupRequestAssignment().setMemberId(member).setAssignment(bytes)));
            return wire.call(SYNC_VERSION, request, SyncGroupResponse.class);
        }

        short heartbeat(int generationId) throws IOException {
            HeartbeatRequest request = new HeartbeatRequest()
                    .setGroupId(group)
                    .setGenerationId(generationId)
                    .setMemberId(memberId);
            return wire.call(HEARTBEAT_VERSION, request, HeartbeatResponse.class).errorCode();
        }

        /** Commits {@code offset} for partition 0 of {@code topic} and returns the partition's error code. */
        short commit(int generationId, String topic, long offset) throws IOException {
            OffsetCommitRequest request = new OffsetCommitRequest()
                    .setGroupId(group)
                    .setGenerationIdOrMemberEpoch(generationId)
                    .setMemberId(memberId)
                    .setTopics(List.of(new OffsetCommitRequest.OffsetCommitRequestTopic()
                            .setName(topic)
                            .setPartitions(List.of(new OffsetCommitRequest.OffsetCommitRequestPartition()
                                    .setPartitionIndex(0)
                                    .setCommittedOffset(offset)
                                    .setCommittedMetadata("")))));
            OffsetCommitResponse response = wire.call(COMMIT_VERSION, request, OffsetCommitResponse.class);
            return response.topics().get(0).partitions().get(0).errorCode();
        }

        /** Leaves the group; returns the top-level and the member's error codes. */
        short[] leave() throws IOException {
            LeaveGroupRequest request = new LeaveGroupRequest()
                    .setGroupId(group)
                    .setMembers(List.of(new LeaveGroupRequest.MemberIdentity().setMemberId(memberId)));
            LeaveGroupResponse response = wire.call(LEAVE_VERSION, request, LeaveGroupResponse.class);
            List<LeaveGroupResponse.MemberResponse> members = response.members();
            return new short[] {response.errorCode(), members.isEmpty() ? Short.MIN_VALUE : members.get(0).errorCode()};
        }

        DescribedGroup describe() throws IOException {
            DescribeGroupsRequest request = new DescribeGroupsRequest().setGroups(List.of(group));
            return wire.call(DESCRIBE_VERSION, request, DescribeGroupsResponse.class).groups().get(0);
        }

        @Override
        public void close() throws IOException {
            wire.close();
        }
    }

    @Test
    void requestsThatBreakTheRulesGetKafkasErrorsAndChangeNothing() throws Exception {
        GroupSupport.createTopic(admin, "rules", 1);
        ByteBuffer metadata = subscription("rules");
        RawMember first = raw("rules-group", "first");

        FindCoordinatorRequest find = new FindCoordinatorRequest().setKey("rules-group").setKeyType((byte) 0);
        FindCoordinatorResponse coordinator = first.wire.call(FIND_COORDINATOR_VERSION, find,
                FindCoordinatorResponse.class);
        assertEquals(Errors.NONE.code(), coordinator.errorCode());
        assertEquals(fixture.broker().config().nodeId(), coordinator.nodeId());
        assertEquals(fixture.broker().boundPort(), coordinator.port());

        DescribedGroup unknownGroup = raw("never-joined", "observer").describe();
        assertEquals(Errors.NONE.code(), unknownGroup.errorCode());
        assertEquals("Dead", unknownGroup.groupState(), "Kafka describes a group it does not know as Dead");
        assertEquals(0, unknownGroup.members().size());

        RawMember nameless = raw("", "nameless");
        assertEquals(Errors.INVALID_GROUP_ID.code(), nameless.receiveJoin(nameless.sendJoin(6_000, metadata)).errorCode());
        for (int timeout : new int[] {GroupSupport.MIN_SESSION_TIMEOUT_MS - 1, GroupSupport.MAX_SESSION_TIMEOUT_MS + 1, 0, -1}) {
            assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(),
                    first.receiveJoin(first.sendJoin(timeout, metadata)).errorCode(),
                    "session timeout " + timeout);
        }
        assertEquals("", first.memberId, "a refused join hands out no member id");

        // One member joins alone and settles: generation g.
        first.obtainMemberId(6_000, metadata);
        JoinGroupResponse joined = first.receiveJoin(first.sendJoin(6_000, metadata));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(first.memberId, joined.leader(), "the only member leads");
        assertEquals(1, joined.members().size(), "the leader sees the members");
        int g = first.generation;
        TopicPartition p0 = new TopicPartition("rules", 0);
        SyncGroupResponse synced = first.sync(g, Map.of(first.memberId, assignment(Set.of(p0))));
        assertEquals(Errors.NONE.code(), synced.errorCode());
        assertEquals(Set.of(p0), partitionsOf(synced.assignment()));
        assertEquals(Errors.NONE.code(), first.heartbeat(g));

        // Another protocol type cannot join a consumer group.
        RawMember stranger = raw("rules-group", "stranger");
        JoinGroupResponse wrongType = stranger.wire.call(JOIN_VERSION, stranger.joinRequest(6_000, "connect", metadata),
                JoinGroupResponse.class);
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), wrongType.errorCode());

        // A member id the group never gave out.
        RawMember ghost = raw("rules-group", "ghost");
        ghost.memberId = "ghost-00000000-0000-0000-0000-000000000000";
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.heartbeat(g));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.commit(g, "rules", 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.sync(g, Map.of()).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.leave()[1]);
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.receiveJoin(ghost.sendJoin(6_000, metadata)).errorCode());

        // A second member joins: the first learns of the rebalance from its heartbeat and rejoins.
        RawMember second = raw("rules-group", "second");
        second.obtainMemberId(6_000, metadata);
        int secondJoin = second.sendJoin(6_000, metadata);
        waitUntil("the first member to be told to rejoin", SETTLE_TIMEOUT_MS, () -> {
            try {
                return first.heartbeat(g) == Errors.REBALANCE_IN_PROGRESS.code();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        JoinGroupResponse rejoined = first.receiveJoin(first.sendJoin(6_000, metadata));
        JoinGroupResponse secondJoined = second.receiveJoin(secondJoin);
        assertEquals(Errors.NONE.code(), rejoined.errorCode());
        assertEquals(Errors.NONE.code(), secondJoined.errorCode());
        int g2 = first.generation;
        assertEquals(g + 1, g2, "one more generation");
        assertEquals(g2, second.generation);
        assertEquals(first.memberId, rejoined.leader(), "the leader that rejoins stays leader");
        assertEquals(2, rejoined.members().size());
        assertEquals(0, secondJoined.members().size(), "followers are not sent the members");

        // Until the leader's assignment arrives, the members may heartbeat but not commit.
        assertEquals(Errors.NONE.code(), second.heartbeat(g2));
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), second.commit(g2, "rules", 1));
        // The previous generation is stale for everything.
        assertEquals(Errors.ILLEGAL_GENERATION.code(), first.commit(g, "rules", 1));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), first.heartbeat(g));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), second.sync(g2 + 1, Map.of()).errorCode());

        SyncGroupResponse leaderSync = first.sync(g2, Map.of(first.memberId, assignment(Set.of()), second.memberId, assignment(Set.of(p0))));
        SyncGroupResponse followerSync = second.sync(g2, Map.of());
        assertEquals(Errors.NONE.code(), leaderSync.errorCode());
        assertEquals(Errors.NONE.code(), followerSync.errorCode());
        assertEquals(Set.of(p0), partitionsOf(followerSync.assignment()));
        assertEquals(Errors.NONE.code(), second.commit(g2, "rules", 1));
        assertEquals(Errors.NONE.code(), first.heartbeat(g2));

        // A follower that rejoins a stable group with the same metadata gets the current generation back.
        JoinGroupResponse followerAgain = second.receiveJoin(second.sendJoin(6_000, metadata));
        assertEquals(Errors.NONE.code(), followerAgain.errorCode());
        assertEquals(g2, followerAgain.generationId(), "no rebalance for an unchanged follower");
        assertEquals(first.memberId, followerAgain.leader());
        assertEquals(Errors.NONE.code(), first.heartbeat(g2), "the leader is not disturbed");
        assertEquals(Set.of(p0), partitionsOf(second.sync(g2, Map.of()).assignment()));

        DescribedGroup described = first.describe();
        assertEquals("Stable", described.groupState());
        Set<String> members = new HashSet<>();
        described.members().forEach(m -> members.add(m.memberId()));
        assertEquals(Set.of(first.memberId, second.memberId), members, "no member from the refused requests");
        assertEquals(Map.of(p0, 1L), GroupSupport.committed(admin, "rules-group"), "only the valid commit counted");

        // The leader rejoining a stable group, even unchanged, starts a rebalance (to re-run its assignor).
        int leaderRejoin = first.sendJoin(6_000, metadata);
        waitUntil("the follower to be told of the leader's rebalance", SETTLE_TIMEOUT_MS, () -> {
            try {
                return second.heartbeat(g2) == Errors.REBALANCE_IN_PROGRESS.code();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(Errors.NONE.code(), second.receiveJoin(second.sendJoin(6_000, metadata)).errorCode());
        assertEquals(Errors.NONE.code(), first.receiveJoin(leaderRejoin).errorCode());
        assertEquals(g2 + 1, first.generation);
        assertEquals(g2 + 1, second.generation);

        assertEquals(Errors.NONE.code(), second.leave()[1]);
        assertEquals(Errors.NONE.code(), first.leave()[1]);
        DescribedGroup empty = first.describe();
        assertEquals("Empty", empty.groupState());
        assertEquals(0, empty.members().size());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), first.heartbeat(g2), "an empty group knows no member");

        // An unknown group has no offsets: -1, no metadata, no error.
        OffsetFetchRequest fetch = new OffsetFetchRequest()
                .setGroupId("never-committed")
                .setTopics(List.of(new OffsetFetchRequest.OffsetFetchRequestTopic()
                        .setName("rules")
                        .setPartitionIndexes(List.of(0))));
        OffsetFetchResponse fetched = first.wire.call((short) 7, fetch, OffsetFetchResponse.class);
        assertEquals(Errors.NONE.code(), fetched.errorCode());
        OffsetFetchResponse.OffsetFetchResponsePartition partition = fetched.topics().get(0).partitions().get(0);
        assertEquals(-1L, partition.committedOffset());
        assertEquals("", partition.metadata());
        assertEquals(Errors.NONE.code(), partition.errorCode());

        // Before version 4 a new member joins at once, without the member-id round trip.
        RawMember old = raw("old-client-group", "old");
        JoinGroupResponse oldJoin = old.wire.call((short) 3, old.joinRequest(6_000, "consumer", metadata),
                JoinGroupResponse.class);
        assertEquals(Errors.NONE.code(), oldJoin.errorCode());
        assertTrue(oldJoin.memberId().startsWith("old-"), oldJoin.memberId());
        assertEquals(oldJoin.memberId(), oldJoin.leader());
        assertEquals(1, oldJoin.generationId());
    }

    @Test
    void aFollowerCannotSetAssignmentsAndAMemberThatStopsHeartbeatingIsRemoved() throws Exception {
        String topic = "heartbeats";
        String group = "heartbeat-group";
        GroupSupport.createTopic(admin, topic, 4);
        Set<TopicPartition> all = GroupSupport.partitions(topic, 4);
        PolledConsumer leader = javaMember(group, "java-leader", topic);
        waitUntil(() -> "the Java member to own everything: " + assignments(List.of(leader)), SETTLE_TIMEOUT_MS,
                () -> leader.assignment().equals(all));

        RawMember silent = raw(group, "silent");
        int sessionTimeoutMs = 1_000;
        silent.obtainMemberId(sessionTimeoutMs, subscription(topic));
        JoinGroupResponse joined = silent.receiveJoin(silent.sendJoin(sessionTimeoutMs, subscription(topic)));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        String leaderId = joined.leader();
        assertNotEquals(silent.memberId, leaderId, "the Java member led and rejoined, so it still leads");
        assertEquals(0, joined.members().size());

        // The follower claims every partition for itself: the coordinator must hand out the leader's plan.
        SyncGroupResponse synced = silent.sync(silent.generation, Map.of(silent.memberId, assignment(all), leaderId, assignment(Set.of())));
        assertEquals(Errors.NONE.code(), synced.errorCode());
        Set<TopicPartition> given = partitionsOf(synced.assignment());
        assertEquals(2, given.size(), "range gives each of two members two of four partitions: " + given);
        Set<TopicPartition> rest = new HashSet<>(all);
        rest.removeAll(given);
        // Heartbeat while the Java leader settles on the other half.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
        while (!leader.assignment().equals(rest)) {
            assertEquals(Errors.NONE.code(), silent.heartbeat(silent.generation));
            assertTrue(System.nanoTime() < deadline, "the leader never held " + rest + ": " + assignments(List.of(leader)));
            Thread.sleep(100);
        }
        assertEquals(Map.of("java-leader", rest, "silent", given), GroupSupport.describedAssignments(admin, group));

        // Silence: after its session timeout the member is gone and the leader owns everything again.
        waitUntil(() -> "the silent member to be removed: " + assignments(List.of(leader)), SETTLE_TIMEOUT_MS,
                () -> leader.assignment().equals(all));
        assertEquals(Set.of("java-leader"), GroupSupport.describedAssignments(admin, group).keySet());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), silent.heartbeat(silent.generation), "a removed member is unknown");
        leader.assertHealthy();
    }

    /** A Java member alone in {@code group} on a four-partition {@code topic}, with a 3 s rebalance timeout. */
    private PolledConsumer javaLeader(String group, String topic) throws Exception {
        GroupSupport.createTopic(admin, topic, 4);
        PolledConsumer leader = GroupSupport.member(fixture.bootstrap(), group, "java-leader", topic,
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, JAVA_REBALANCE_TIMEOUT_MS));
        closeables.add(leader);
        waitUntil(() -> "the Java member to own everything: " + assignments(List.of(leader)), SETTLE_TIMEOUT_MS,
                () -> leader.assignment().equals(GroupSupport.partitions(topic, 4)));
        return leader;
    }

    /** Heartbeats {@code member} every 100 ms, keeping its session alive, until {@code done} holds. */
    private static void heartbeatUntil(RawMember member, String what, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
        short last = Errors.NONE.code();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + "; last heartbeat " + last);
            last = member.heartbeat(member.generation);
            Thread.sleep(100);
        }
    }

    @Test
    void aMemberThatNeverSyncsIsRemovedAfterTheRebalanceTimeoutThoughItHeartbeats() throws Exception {
        String topic = "unsynced";
        PolledConsumer leader = javaLeader("unsynced-group", topic);
        RawMember lazy = raw("unsynced-group", "lazy");
        lazy.rebalanceTimeoutMs = 2_000;
        lazy.obtainMemberId(10_000, subscription(topic));
        assertEquals(Errors.NONE.code(), lazy.receiveJoin(lazy.sendJoin(10_000, subscription(topic))).errorCode());
        // It keeps its session alive but never sends SyncGroup: only the rebalance timeout can remove it.
        heartbeatUntil(lazy, "the member that never synced to be removed", () -> leader.assignment().size() == 4
                && leader.events().stream().filter(e -> e.kind() == PolledConsumer.RebalanceEvent.Kind.ASSIGNED).count() >= 3);
        assertEquals(Set.of("java-leader"), GroupSupport.describedAssignments(admin, "unsynced-group").keySet());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), lazy.heartbeat(lazy.generation));
        leader.assertHealthy();
    }

    @Test
    void aMemberThatNeverRejoinsIsRemovedWhenTheRebalanceTimesOut() throws Exception {
        String topic = "rejoins";
        String group = "rejoin-group";
        PolledConsumer leader = javaLeader(group, topic);
        RawMember stubborn = raw(group, "stubborn");
        stubborn.rebalanceTimeoutMs = 2_000;
        stubborn.obtainMemberId(10_000, subscription(topic));
        assertEquals(Errors.NONE.code(), stubborn.receiveJoin(stubborn.sendJoin(10_000, subscription(topic))).errorCode());
        assertEquals(Errors.NONE.code(), stubborn.sync(stubborn.generation, Map.of()).errorCode());
        heartbeatUntil(stubborn, "a 2/2 split", () -> leader.assignment().size() == 2);
        int stubbornGeneration = stubborn.generation;

        // A newcomer starts a rebalance; the stubborn member is told so and keeps heartbeating, never rejoining.
        RawMember newcomer = raw(group, "newcomer");
        newcomer.rebalanceTimeoutMs = 2_000;
        newcomer.obtainMemberId(10_000, subscription(topic));
        int newcomerJoin = newcomer.sendJoin(10_000, subscription(topic));
        waitUntil("the stubborn member to be told of the rebalance", SETTLE_TIMEOUT_MS, () -> {
            try {
                return stubborn.heartbeat(stubbornGeneration) == Errors.REBALANCE_IN_PROGRESS.code();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        // Its session (10 s) outlasts the rebalance timeout (3 s): only the join deadline can drop it.
        JoinGroupResponse joined = newcomer.receiveJoin(newcomerJoin);
        assertEquals(Errors.NONE.code(), joined.errorCode(), "the join phase completes without the member that did not rejoin");
        assertTrue(newcomer.generation > stubbornGeneration);
        assertEquals(Errors.NONE.code(), newcomer.sync(newcomer.generation, Map.of()).errorCode());
        heartbeatUntil(newcomer, "the leader and the newcomer to split", () -> leader.assignment().size() == 2);
        assertEquals(Set.of("java-leader", "newcomer"), GroupSupport.describedAssignments(admin, group).keySet());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), stubborn.heartbeat(stubbornGeneration), "the stubborn member was dropped");
        leader.assertHealthy();
    }

    @Test
    void memberIdsHandedOutButNeverUsedExpireAndLeaveNoTrace() throws Exception {
        String topic = "abandoned";
        GroupSupport.createTopic(admin, topic, 2);
        // A hundred clients take a member id (MEMBER_ID_REQUIRED) and vanish without joining with it.
        for (int i = 0; i < 100; i++) {
            try (RawMember quitter = new RawMember(fixture.broker().boundPort(), "quitter-" + i, "abandoned-group")) {
                quitter.obtainMemberId(GroupSupport.MIN_SESSION_TIMEOUT_MS, subscription(topic));
            }
        }
        // A real member still gets the whole topic once those ids have expired.
        PolledConsumer member = javaMember("abandoned-group", "real", topic);
        waitUntil(() -> "the real member to own the topic: " + assignments(List.of(member)), SETTLE_TIMEOUT_MS,
                () -> member.assignment().equals(GroupSupport.partitions(topic, 2)));
        assertEquals(Set.of("real"), GroupSupport.describedAssignments(admin, "abandoned-group").keySet());
        member.assertHealthy();
    }

    @Test
    void aJoinStormLeavesNoGhostsAndAnotherGroupKeepsConsuming() throws Exception {
        GroupSupport.createTopic(admin, "storm", 3);
        GroupSupport.createTopic(admin, "calm", 2);
        PolledConsumer calm = javaMember("calm-group", "calm", "calm");
        waitUntil(() -> "the calm member to own both partitions: " + assignments(List.of(calm)), SETTLE_TIMEOUT_MS,
                () -> calm.assignment().size() == 2);
        int calmEvents = calm.events().size();

        int threads = 8;
        int membersPerThread = 40;
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> storm = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            storm.add(pool.submit(() -> {
                for (int i = 0; i < membersPerThread; i++) {
                    joinSyncAndLeave("storm-" + thread + "-" + i, outcomes);
                }
                return null;
            }));
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            int round = 0;
            while (storm.stream().anyMatch(f -> !f.isDone()) || round == 0) {
                List<String> values = GroupSupport.produce(producer, "calm", 2, "calm-" + round, 10);
                sent.addAll(values);
                waitUntil(() -> "the calm group to read round " + sent.size() / 10 + " during the storm", SETTLE_TIMEOUT_MS,
                        () -> calm.received().size() >= sent.size());
                round++;
            }
        } finally {
            pool.shutdown();
        }
        for (Future<?> f : storm) {
            f.get(SETTLE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        int total = threads * membersPerThread;
        assertEquals(total, outcomes.getOrDefault("join:NONE", new AtomicInteger()).get(), "every member joined: " + outcomes);
        assertEquals(total, outcomes.getOrDefault("leave:NONE", new AtomicInteger()).get(), "every member left: " + outcomes);
        int synced = outcomes.getOrDefault("sync:NONE", new AtomicInteger()).get();
        int toldToRejoin = outcomes.getOrDefault("sync:REBALANCE_IN_PROGRESS", new AtomicInteger()).get();
        assertEquals(total, synced + toldToRejoin, "a sync either completes or asks for a rejoin: " + outcomes);

        RawMember observer = raw("storm-group", "observer");
        DescribedGroup after = observer.describe();
        assertEquals(Errors.NONE.code(), after.errorCode());
        assertTrue(Set.of("Empty", "Dead").contains(after.groupState()), after.groupState());
        assertEquals(0, after.members().size(), "no ghost members after the storm");
        assertTrue(GroupSupport.describe(admin, "storm-group").members().isEmpty());

        assertEquals(sent.size(), calm.received().size(), "the calm group read each record once");
        assertEquals(new HashSet<>(sent), new HashSet<>(calm.received().stream().map(PolledConsumer.Received::value).toList()));
        assertEquals(calmEvents, calm.events().size(), "the calm group never rebalanced: " + calm.events());
        calm.assertHealthy();
    }

    /** One storm member: join (with the member-id round trip), sync as leader or follower, leave. */
    private void joinSyncAndLeave(String clientId, Map<String, AtomicInteger> outcomes) throws IOException {
        ByteBuffer metadata = subscription("storm");
        try (RawMember member = new RawMember(fixture.broker().boundPort(), clientId, "storm-group")) {
            member.obtainMemberId(10_000, metadata);
            JoinGroupResponse joined = member.receiveJoin(member.sendJoin(10_000, metadata));
            count(outcomes, "join", joined.errorCode());
            if (joined.errorCode() == Errors.NONE.code()) {
                Map<String, ByteBuffer> plan = new HashMap<>();
                for (JoinGroupResponse.JoinGroupResponseMember m : joined.members()) {
                    plan.put(m.memberId(), assignment(Set.of()));
                }
                count(outcomes, "sync", member.sync(member.generation, plan).errorCode());
            }
            short[] left = member.leave();
            count(outcomes, "leave", left[0] == Errors.NONE.code() ? left[1] : left[0]);
        }
    }

    private static void count(Map<String, AtomicInteger> outcomes, String step, short code) {
        outcomes.computeIfAbsent(step + ":" + Errors.forCode(code).name(), k -> new AtomicInteger()).incrementAndGet();
    }
}
