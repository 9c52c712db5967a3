package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
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

import static io.fjord.broker.BrokerFixture.waitUntil;
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
        RawMember member = new RawMember(fixture.broker.boundPort(), clientId, group);
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

    private static short error(Struct response) {
        return response.getShort("error_code");
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

        Struct joinRequest(int sessionTimeoutMs, String protocolType, ByteBuffer metadata) {
            Struct request = MessageCodec.newRequest(ApiKeys.JOIN_GROUP);
            request.set("group_id", group);
            request.set("session_timeout_ms", sessionTimeoutMs);
            request.set("rebalance_timeout_ms", rebalanceTimeoutMs);
            request.set("member_id", memberId);
            request.set("protocol_type", protocolType);
            request.addElement("protocols").set("name", "range").set("metadata", metadata);
            return request;
        }

        /** Sends a JoinGroup without waiting: the coordinator parks it until the join phase completes. */
        int sendJoin(int sessionTimeoutMs, ByteBuffer metadata) throws IOException {
            return wire.send(ApiKeys.JOIN_GROUP, JOIN_VERSION, joinRequest(sessionTimeoutMs, "consumer", metadata));
        }

        /** Reads a JoinGroup answer and takes the member id and generation it carries. */
        Struct receiveJoin(int correlationId) throws IOException {
            Struct response = wire.receive(ApiKeys.JOIN_GROUP, JOIN_VERSION, correlationId);
            if (error(response) == Errors.NONE.code() || error(response) == Errors.MEMBER_ID_REQUIRED.code()) {
                memberId = response.getString("member_id");
            }
            if (error(response) == Errors.NONE.code()) {
                generation = response.getInt("generation_id");
            }
            return response;
        }

        /** The first JoinGroup of a dynamic member: MEMBER_ID_REQUIRED with an id to join with (v4+). */
        void obtainMemberId(int sessionTimeoutMs, ByteBuffer metadata) throws IOException {
            Struct first = receiveJoin(sendJoin(sessionTimeoutMs, metadata));
            assertEquals(Errors.MEMBER_ID_REQUIRED.code(), error(first), "a dynamic member's first join");
            assertTrue(memberId.startsWith(clientId + "-"), "Kafka's member id is the client id, a dash and a UUID: " + memberId);
        }

        Struct sync(int generationId, Map<String, ByteBuffer> assignments) throws IOException {
            Struct request = MessageCodec.newRequest(ApiKeys.SYNC_GROUP);
            request.set("group_id", group);
            request.set("generation_id", generationId);
            request.set("member_id", memberId);
            assignments.forEach((member, bytes) ->
                    request.addElement("assignments").set("member_id", member).set("assignment", bytes));
            return wire.call(ApiKeys.SYNC_GROUP, SYNC_VERSION, request);
        }

        short heartbeat(int generationId) throws IOException {
            Struct request = MessageCodec.newRequest(ApiKeys.HEARTBEAT);
            request.set("group_id", group);
            request.set("generation_id", generationId);
            request.set("member_id", memberId);
            return error(wire.call(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION, request));
        }

        /** Commits {@code offset} for partition 0 of {@code topic} and returns the partition's error code. */
        short commit(int generationId, String topic, long offset) throws IOException {
            Struct request = MessageCodec.newRequest(ApiKeys.OFFSET_COMMIT);
            request.set("group_id", group);
            request.set("generation_id_or_member_epoch", generationId);
            request.set("member_id", memberId);
            Struct t = request.addElement("topics").set("name", topic);
            t.addElement("partitions").set("partition_index", 0).set("committed_offset", offset)
                    .set("committed_metadata", "");
            Struct response = wire.call(ApiKeys.OFFSET_COMMIT, COMMIT_VERSION, request);
            return response.getStructArray("topics").get(0).getStructArray("partitions").get(0).getShort("error_code");
        }

        /** Leaves the group; returns the top-level and the member's error codes. */
        short[] leave() throws IOException {
            Struct request = MessageCodec.newRequest(ApiKeys.LEAVE_GROUP);
            request.set("group_id", group);
            request.addElement("members").set("member_id", memberId);
            Struct response = wire.call(ApiKeys.LEAVE_GROUP, LEAVE_VERSION, request);
            List<Struct> members = response.getStructArray("members");
            return new short[] {error(response), members.isEmpty() ? Short.MIN_VALUE : members.get(0).getShort("error_code")};
        }

        Struct describe() throws IOException {
            Struct request = MessageCodec.newRequest(ApiKeys.DESCRIBE_GROUPS);
            request.set("groups", List.of(group));
            return wire.call(ApiKeys.DESCRIBE_GROUPS, DESCRIBE_VERSION, request).getStructArray("groups").get(0);
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

        Struct find = MessageCodec.newRequest(ApiKeys.FIND_COORDINATOR);
        find.set("key", "rules-group");
        find.set("key_type", (byte) 0);
        Struct coordinator = first.wire.call(ApiKeys.FIND_COORDINATOR, FIND_COORDINATOR_VERSION, find);
        assertEquals(Errors.NONE.code(), error(coordinator));
        assertEquals(fixture.broker.config().nodeId(), coordinator.getInt("node_id"));
        assertEquals(fixture.broker.boundPort(), coordinator.getInt("port"));

        Struct unknownGroup = raw("never-joined", "observer").describe();
        assertEquals(Errors.NONE.code(), error(unknownGroup));
        assertEquals("Dead", unknownGroup.getString("group_state"), "Kafka describes a group it does not know as Dead");
        assertEquals(0, unknownGroup.getStructArray("members").size());

        RawMember nameless = raw("", "nameless");
        assertEquals(Errors.INVALID_GROUP_ID.code(), error(nameless.receiveJoin(nameless.sendJoin(6_000, metadata))));
        for (int timeout : new int[] {GroupSupport.MIN_SESSION_TIMEOUT_MS - 1, GroupSupport.MAX_SESSION_TIMEOUT_MS + 1, 0, -1}) {
            assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), error(first.receiveJoin(first.sendJoin(timeout, metadata))),
                    "session timeout " + timeout);
        }
        assertEquals("", first.memberId, "a refused join hands out no member id");

        // One member joins alone and settles: generation g.
        first.obtainMemberId(6_000, metadata);
        Struct joined = first.receiveJoin(first.sendJoin(6_000, metadata));
        assertEquals(Errors.NONE.code(), error(joined));
        assertEquals(first.memberId, joined.getString("leader"), "the only member leads");
        assertEquals(1, joined.getStructArray("members").size(), "the leader sees the members");
        int g = first.generation;
        TopicPartition p0 = new TopicPartition("rules", 0);
        Struct synced = first.sync(g, Map.of(first.memberId, assignment(Set.of(p0))));
        assertEquals(Errors.NONE.code(), error(synced));
        assertEquals(Set.of(p0), partitionsOf(synced.getBytes("assignment")));
        assertEquals(Errors.NONE.code(), first.heartbeat(g));

        // Another protocol type cannot join a consumer group.
        RawMember stranger = raw("rules-group", "stranger");
        Struct wrongType = stranger.wire.call(ApiKeys.JOIN_GROUP, JOIN_VERSION,
                stranger.joinRequest(6_000, "connect", metadata));
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), error(wrongType));

        // A member id the group never gave out.
        RawMember ghost = raw("rules-group", "ghost");
        ghost.memberId = "ghost-00000000-0000-0000-0000-000000000000";
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.heartbeat(g));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.commit(g, "rules", 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), error(ghost.sync(g, Map.of())));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), ghost.leave()[1]);
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), error(ghost.receiveJoin(ghost.sendJoin(6_000, metadata))));

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
        Struct rejoined = first.receiveJoin(first.sendJoin(6_000, metadata));
        Struct secondJoined = second.receiveJoin(secondJoin);
        assertEquals(Errors.NONE.code(), error(rejoined));
        assertEquals(Errors.NONE.code(), error(secondJoined));
        int g2 = first.generation;
        assertEquals(g + 1, g2, "one more generation");
        assertEquals(g2, second.generation);
        assertEquals(first.memberId, rejoined.getString("leader"), "the leader that rejoins stays leader");
        assertEquals(2, rejoined.getStructArray("members").size());
        assertEquals(0, secondJoined.getStructArray("members").size(), "followers are not sent the members");

        // Until the leader's assignment arrives, the members may heartbeat but not commit.
        assertEquals(Errors.NONE.code(), second.heartbeat(g2));
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), second.commit(g2, "rules", 1));
        // The previous generation is stale for everything.
        assertEquals(Errors.ILLEGAL_GENERATION.code(), first.commit(g, "rules", 1));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), first.heartbeat(g));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), error(second.sync(g2 + 1, Map.of())));

        Struct leaderSync = first.sync(g2, Map.of(first.memberId, assignment(Set.of()), second.memberId, assignment(Set.of(p0))));
        Struct followerSync = second.sync(g2, Map.of());
        assertEquals(Errors.NONE.code(), error(leaderSync));
        assertEquals(Errors.NONE.code(), error(followerSync));
        assertEquals(Set.of(p0), partitionsOf(followerSync.getBytes("assignment")));
        assertEquals(Errors.NONE.code(), second.commit(g2, "rules", 1));
        assertEquals(Errors.NONE.code(), first.heartbeat(g2));

        // A follower that rejoins a stable group with the same metadata gets the current generation back.
        Struct followerAgain = second.receiveJoin(second.sendJoin(6_000, metadata));
        assertEquals(Errors.NONE.code(), error(followerAgain));
        assertEquals(g2, followerAgain.getInt("generation_id"), "no rebalance for an unchanged follower");
        assertEquals(first.memberId, followerAgain.getString("leader"));
        assertEquals(Errors.NONE.code(), first.heartbeat(g2), "the leader is not disturbed");
        assertEquals(Set.of(p0), partitionsOf(second.sync(g2, Map.of()).getBytes("assignment")));

        Struct described = first.describe();
        assertEquals("Stable", described.getString("group_state"));
        Set<String> members = new HashSet<>();
        described.getStructArray("members").forEach(m -> members.add(m.getString("member_id")));
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
        assertEquals(Errors.NONE.code(), error(second.receiveJoin(second.sendJoin(6_000, metadata))));
        assertEquals(Errors.NONE.code(), error(first.receiveJoin(leaderRejoin)));
        assertEquals(g2 + 1, first.generation);
        assertEquals(g2 + 1, second.generation);

        assertEquals(Errors.NONE.code(), second.leave()[1]);
        assertEquals(Errors.NONE.code(), first.leave()[1]);
        Struct empty = first.describe();
        assertEquals("Empty", empty.getString("group_state"));
        assertEquals(0, empty.getStructArray("members").size());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), first.heartbeat(g2), "an empty group knows no member");

        // An unknown group has no offsets: -1, no metadata, no error.
        Struct fetch = MessageCodec.newRequest(ApiKeys.OFFSET_FETCH);
        fetch.set("group_id", "never-committed");
        fetch.addElement("topics").set("name", "rules").set("partition_indexes", new int[] {0});
        Struct fetched = first.wire.call(ApiKeys.OFFSET_FETCH, (short) 7, fetch);
        assertEquals(Errors.NONE.code(), error(fetched));
        Struct partition = fetched.getStructArray("topics").get(0).getStructArray("partitions").get(0);
        assertEquals(-1L, partition.getLong("committed_offset"));
        assertEquals("", partition.getString("metadata"));
        assertEquals(Errors.NONE.code(), partition.getShort("error_code"));

        // Before version 4 a new member joins at once, without the member-id round trip.
        RawMember old = raw("old-client-group", "old");
        Struct oldJoin = old.wire.call(ApiKeys.JOIN_GROUP, (short) 3, old.joinRequest(6_000, "consumer", metadata));
        assertEquals(Errors.NONE.code(), error(oldJoin));
        assertTrue(oldJoin.getString("member_id").startsWith("old-"), oldJoin.getString("member_id"));
        assertEquals(oldJoin.getString("member_id"), oldJoin.getString("leader"));
        assertEquals(1, oldJoin.getInt("generation_id"));
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
        Struct joined = silent.receiveJoin(silent.sendJoin(sessionTimeoutMs, subscription(topic)));
        assertEquals(Errors.NONE.code(), error(joined));
        String leaderId = joined.getString("leader");
        assertNotEquals(silent.memberId, leaderId, "the Java member led and rejoined, so it still leads");
        assertEquals(0, joined.getStructArray("members").size());

        // The follower claims every partition for itself: the coordinator must hand out the leader's plan.
        Struct synced = silent.sync(silent.generation, Map.of(silent.memberId, assignment(all), leaderId, assignment(Set.of())));
        assertEquals(Errors.NONE.code(), error(synced));
        Set<TopicPartition> given = partitionsOf(synced.getBytes("assignment"));
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
        assertEquals(Errors.NONE.code(), error(lazy.receiveJoin(lazy.sendJoin(10_000, subscription(topic)))));
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
        assertEquals(Errors.NONE.code(), error(stubborn.receiveJoin(stubborn.sendJoin(10_000, subscription(topic)))));
        assertEquals(Errors.NONE.code(), error(stubborn.sync(stubborn.generation, Map.of())));
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
        Struct joined = newcomer.receiveJoin(newcomerJoin);
        assertEquals(Errors.NONE.code(), error(joined), "the join phase completes without the member that did not rejoin");
        assertTrue(newcomer.generation > stubbornGeneration);
        assertEquals(Errors.NONE.code(), error(newcomer.sync(newcomer.generation, Map.of())));
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
            try (RawMember quitter = new RawMember(fixture.broker.boundPort(), "quitter-" + i, "abandoned-group")) {
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
        Struct after = observer.describe();
        assertEquals(Errors.NONE.code(), after.getShort("error_code"));
        assertTrue(Set.of("Empty", "Dead").contains(after.getString("group_state")), after.getString("group_state"));
        assertEquals(0, after.getStructArray("members").size(), "no ghost members after the storm");
        assertTrue(GroupSupport.describe(admin, "storm-group").members().isEmpty());

        assertEquals(sent.size(), calm.received().size(), "the calm group read each record once");
        assertEquals(new HashSet<>(sent), new HashSet<>(calm.received().stream().map(PolledConsumer.Received::value).toList()));
        assertEquals(calmEvents, calm.events().size(), "the calm group never rebalanced: " + calm.events());
        calm.assertHealthy();
    }

    /** One storm member: join (with the member-id round trip), sync as leader or follower, leave. */
    private void joinSyncAndLeave(String clientId, Map<String, AtomicInteger> outcomes) throws IOException {
        ByteBuffer metadata = subscription("storm");
        try (RawMember member = new RawMember(fixture.broker.boundPort(), clientId, "storm-group")) {
            member.obtainMemberId(10_000, metadata);
            Struct joined = member.receiveJoin(member.sendJoin(10_000, metadata));
            count(outcomes, "join", error(joined));
            if (error(joined) == Errors.NONE.code()) {
                Map<String, ByteBuffer> plan = new HashMap<>();
                for (Struct m : joined.getStructArray("members")) {
                    plan.put(m.getString("member_id"), assignment(Set.of()));
                }
                count(outcomes, "sync", error(member.sync(member.generation, plan)));
            }
            short[] left = member.leave();
            count(outcomes, "leave", left[0] == Errors.NONE.code() ? left[1] : left[0]);
        }
    }

    private static void count(Map<String, AtomicInteger> outcomes, String step, short code) {
        outcomes.computeIfAbsent(step + ":" + Errors.forCode(code).name(), k -> new AtomicInteger()).incrementAndGet();
    }
}
