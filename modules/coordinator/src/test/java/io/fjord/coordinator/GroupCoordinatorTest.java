package io.fjord.coordinator;

import static io.fjord.coordinator.CoordinatorHarness.bytes;
import static io.fjord.coordinator.CoordinatorHarness.join;
import static io.fjord.coordinator.CoordinatorHarness.protocols;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** The classic group state machine on a clock the test drives. */
class GroupCoordinatorTest {

    private static final String GROUP = "g";
    private static final int SESSION = 10_000;
    private static final int REBALANCE = 5_000;

    @TempDir
    Path dir;

    private CoordinatorHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private CoordinatorHarness start(Map<String, String> props) throws Exception {
        h = new CoordinatorHarness(dir, props);
        return h;
    }

    private CoordinatorHarness startWithoutInitialDelay() throws Exception {
        return start(Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    /** The MEMBER_ID_REQUIRED handshake of a dynamic member; returns the id the coordinator handed out. */
    private String memberId(String clientProtocol) {
        JoinGroupResult first = h.join(join(GROUP, "", null, SESSION, REBALANCE, protocols(clientProtocol))).get();
        assertEquals(Errors.MEMBER_ID_REQUIRED, first.error());
        assertEquals(-1, first.generationId());
        assertTrue(first.memberId().startsWith("client-"), first.memberId());
        return first.memberId();
    }

    private AtomicReference<JoinGroupResult> rejoin(String memberId) {
        return h.join(join(GROUP, memberId, null, SESSION, REBALANCE, protocols("range")));
    }

    /** A Stable group of {@code n} dynamic members (no initial delay); ids in join order, leader first. */
    private List<String> stableGroup(int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = memberId("range");
            ids.add(id);
            AtomicReference<JoinGroupResult> mine = rejoin(id);
            if (i > 0) {
                assertNull(mine.get(), "a new member waits for the others to rejoin");
                for (String other : ids.subList(0, i)) {
                    assertEquals(Errors.REBALANCE_IN_PROGRESS, h.coordinator.heartbeat(GROUP, other, null,
                            lastGeneration));
                }
                List<AtomicReference<JoinGroupResult>> others = new ArrayList<>();
                for (String other : ids.subList(0, i)) {
                    others.add(rejoin(other));
                }
                for (AtomicReference<JoinGroupResult> o : others) {
                    assertEquals(Errors.NONE, o.get().error());
                }
            }
            assertEquals(Errors.NONE, mine.get().error());
            lastGeneration = mine.get().generationId();
        }
        int generation = lastGeneration;
        Map<String, byte[]> assignments = new HashMap<>();
        for (String id : ids) {
            assignments.put(id, bytes("assignment-of-" + id));
        }
        List<AtomicReference<SyncGroupResult>> syncs = new ArrayList<>();
        for (String id : ids.subList(1, ids.size())) {
            syncs.add(h.sync(GROUP, generation, id, null, Map.of()));
            assertNull(syncs.get(syncs.size() - 1).get(), "a follower's sync waits for the leader");
        }
        AtomicReference<SyncGroupResult> leaderSync = h.sync(GROUP, generation, ids.get(0), null, assignments);
        syncs.add(0, leaderSync);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(Errors.NONE, syncs.get(i).get().error());
            assertArrayEquals(bytes("assignment-of-" + ids.get(i)), syncs.get(i).get().assignment());
        }
        assertEquals(GroupState.STABLE, h.coordinator.describeGroup(GROUP).state());
        return ids;
    }

    /** The generation of the last join phase {@link #stableGroup} completed. */
    private int lastGeneration;

    @Test
    void firstJoinNeedsAMemberIdAndTheInitialDelayHoldsTheJoinPhase() throws Exception {
        start(Map.of("group.initial.rebalance.delay.ms", "3000"));
        String id = memberId("range");
        AtomicReference<JoinGroupResult> joined = rejoin(id);
        assertNull(joined.get());
        assertEquals(GroupState.PREPARING_REBALANCE, h.coordinator.describeGroup(GROUP).state());
        h.advance(2999);
        assertNull(joined.get(), "the initial delay is not over");
        h.advance(1);
        JoinGroupResult r = joined.get();
        assertNotNull(r);
        assertEquals(Errors.NONE, r.error());
        assertEquals(1, r.generationId());
        assertEquals("range", r.protocolName());
        assertEquals(id, r.leaderId());
        assertEquals(id, r.memberId());
        assertEquals(1, r.members().size());
        assertArrayEquals(bytes("meta-range"), r.members().get(0).metadata());
        assertEquals(GroupState.COMPLETING_REBALANCE, h.coordinator.describeGroup(GROUP).state());
    }

    @Test
    void theInitialDelayExtendsWhileMembersArriveUpToTheRebalanceTimeout() throws Exception {
        start(Map.of("group.initial.rebalance.delay.ms", "3000"));
        String a = memberId("range");
        AtomicReference<JoinGroupResult> ja = h.join(join(GROUP, a, null, SESSION, 10_000, protocols("range")));
        h.advance(2000);
        String b = memberId("range");
        AtomicReference<JoinGroupResult> jb = h.join(join(GROUP, b, null, SESSION, 10_000, protocols("range")));
        h.advance(1000);
        assertNull(ja.get(), "a member arrived during the delay: it runs again");
        h.advance(2999);
        assertNull(jb.get());
        h.advance(1);
        assertEquals(Errors.NONE, ja.get().error());
        assertEquals(Errors.NONE, jb.get().error());
        assertEquals(ja.get().generationId(), jb.get().generationId());
        assertEquals(a, ja.get().leaderId());
        assertEquals(a, jb.get().leaderId());
        assertEquals(2, ja.get().members().size(), "the leader sees every member");
        assertEquals(0, jb.get().members().size(), "a follower sees none");
    }

    @Test
    void theProtocolIsChosenByVoteAmongThoseEveryMemberSupports() throws Exception {
        start(Map.of("group.initial.rebalance.delay.ms", "1000"));
        List<AtomicReference<JoinGroupResult>> joins = new ArrayList<>();
        for (List<JoinProtocol> p : List.of(protocols("roundrobin", "range", "sticky"),
                protocols("roundrobin", "range"), protocols("range", "roundrobin"))) {
            String id = h.join(join(GROUP, "", null, SESSION, REBALANCE, p)).get().memberId();
            joins.add(h.join(join(GROUP, id, null, SESSION, REBALANCE, p)));
        }
        h.advance(1000);
        assertNull(joins.get(0).get(), "members joined during the first delay: it runs once more");
        h.advance(1000);
        for (AtomicReference<JoinGroupResult> j : joins) {
            assertEquals("roundrobin", j.get().protocolName());
        }
        for (JoinGroupResult.Member m : joins.get(0).get().members()) {
            assertArrayEquals(bytes("meta-roundrobin"), m.metadata(), "the leader gets the chosen protocol's metadata");
        }
    }

    @Test
    void joinValidation() throws Exception {
        startWithoutInitialDelay();
        assertEquals(Errors.INVALID_GROUP_ID,
                h.join(join("", "", null, SESSION, REBALANCE, protocols("range"))).get().error());
        assertEquals(Errors.INVALID_SESSION_TIMEOUT,
                h.join(join(GROUP, "", null, 999, REBALANCE, protocols("range"))).get().error());
        assertEquals(Errors.INVALID_SESSION_TIMEOUT,
                h.join(join(GROUP, "", null, 1_800_001, REBALANCE, protocols("range"))).get().error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID,
                h.join(join("other", "made-up", null, SESSION, REBALANCE, protocols("range"))).get().error());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL,
                h.join(join(GROUP, "", null, SESSION, REBALANCE, List.of())).get().error());
        stableGroup(1);
        JoinGroupRequest otherType = new JoinGroupRequest(GROUP, "", null, "client", "/127.0.0.1", REBALANCE, SESSION,
                "connect", protocols("range"), true);
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, h.join(otherType).get().error());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL,
                h.join(join(GROUP, "", null, SESSION, REBALANCE, protocols("sticky"))).get().error());
    }

    @Test
    void syncHandsOutTheLeadersAssignmentAndFollowersWaitForIt() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(3);
        GroupDescription d = h.coordinator.describeGroup(GROUP);
        assertEquals("range", d.protocolData());
        assertEquals(3, d.members().size());
        for (GroupDescription.Member m : d.members()) {
            assertArrayEquals(bytes("assignment-of-" + m.memberId()), m.assignment());
            assertArrayEquals(bytes("meta-range"), m.metadata());
        }
        // A sync in a Stable group answers the member's assignment at once.
        assertArrayEquals(bytes("assignment-of-" + ids.get(2)),
                h.sync(GROUP, lastGeneration, ids.get(2), null, Map.of()).get().assignment());
    }

    @Test
    void syncAndHeartbeatErrors() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(2);
        int gen = lastGeneration;
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.sync(GROUP, gen, "nobody", null, Map.of()).get().error());
        assertEquals(Errors.ILLEGAL_GENERATION, h.sync(GROUP, gen + 1, ids.get(0), null, Map.of()).get().error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.sync("absent", gen, ids.get(0), null, Map.of()).get().error());
        assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, ids.get(1), null, gen));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat(GROUP, "nobody", null, gen));
        assertEquals(Errors.ILLEGAL_GENERATION, h.coordinator.heartbeat(GROUP, ids.get(1), null, gen - 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat("absent", ids.get(1), null, gen));
        assertEquals(Errors.INVALID_GROUP_ID, h.coordinator.heartbeat("", ids.get(1), null, gen));
        // The leader rejoining starts a rebalance: heartbeats say so, syncs are refused.
        AtomicReference<JoinGroupResult> leader = rejoin(ids.get(0));
        assertNull(leader.get());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, h.coordinator.heartbeat(GROUP, ids.get(1), null, gen));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, h.sync(GROUP, gen, ids.get(1), null, Map.of()).get().error());
        AtomicReference<JoinGroupResult> follower = rejoin(ids.get(1));
        assertEquals(gen + 1, leader.get().generationId());
        assertEquals(gen + 1, follower.get().generationId());
        assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, ids.get(1), null, gen + 1),
                "heartbeats are fine while CompletingRebalance");
    }

    @Test
    void aSilentMemberIsRemovedWhenItsSessionExpires() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(2);
        int gen = lastGeneration;
        for (int i = 0; i < 3; i++) {
            h.advance(SESSION / 4);
            assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, ids.get(0), null, gen));
        }
        h.advance(SESSION / 4);
        assertEquals(Errors.REBALANCE_IN_PROGRESS, h.coordinator.heartbeat(GROUP, ids.get(0), null, gen),
                "the silent member's session ran out after " + SESSION + " ms");
        AtomicReference<JoinGroupResult> alone = rejoin(ids.get(0));
        assertEquals(Errors.NONE, alone.get().error());
        assertEquals(1, alone.get().members().size());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat(GROUP, ids.get(1), null, gen));
    }

    @Test
    void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(3);
        int gen = lastGeneration;
        AtomicReference<JoinGroupResult> leader = rejoin(ids.get(0));
        AtomicReference<JoinGroupResult> second = rejoin(ids.get(1));
        h.advance(REBALANCE - 1);
        assertNull(leader.get());
        h.advance(1);
        assertEquals(gen + 1, leader.get().generationId());
        assertEquals(2, leader.get().members().size(), "the laggard is gone");
        assertEquals(Errors.NONE, second.get().error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat(GROUP, ids.get(2), null, gen));
    }

    @Test
    void aFollowerThatNeverSyncsIsRemovedAfterTheRebalanceTimeout() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = new ArrayList<>();
        ids.add(memberId("range"));
        JoinGroupResult first = rejoin(ids.get(0)).get();
        assertEquals(1, first.generationId());
        ids.add(memberId("range"));
        AtomicReference<JoinGroupResult> b = rejoin(ids.get(1));
        AtomicReference<JoinGroupResult> a = rejoin(ids.get(0));
        int gen = a.get().generationId();
        assertEquals(gen, b.get().generationId());
        AtomicReference<SyncGroupResult> leaderSync = h.sync(GROUP, gen, ids.get(0), null,
                Map.of(ids.get(0), bytes("x"), ids.get(1), bytes("y")));
        assertEquals(Errors.NONE, leaderSync.get().error());
        h.advance(REBALANCE);
        assertEquals(Errors.REBALANCE_IN_PROGRESS, h.coordinator.heartbeat(GROUP, ids.get(0), null, gen));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.heartbeat(GROUP, ids.get(1), null, gen));
    }

    @Test
    void leaveGroupRemovesMembersInABatchAndRebalancesTheRest() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(3);
        LeaveGroupResult r = h.coordinator.leaveGroup(GROUP, List.of(new MemberIdentity(ids.get(1), null),
                new MemberIdentity("nobody", null), new MemberIdentity(ids.get(2), null)));
        assertEquals(Errors.NONE, r.error());
        assertEquals(List.of(Errors.NONE, Errors.UNKNOWN_MEMBER_ID, Errors.NONE), r.memberErrors());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, h.coordinator.heartbeat(GROUP, ids.get(0), null, lastGeneration));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, h.coordinator.leaveGroup("absent", List.of(
                new MemberIdentity(ids.get(0), null))).error());
        assertEquals(List.of(Errors.NONE), h.coordinator.leaveGroup(GROUP, List.of(
                new MemberIdentity(ids.get(0), null))).memberErrors());
        assertEquals(GroupState.EMPTY, h.coordinator.describeGroup(GROUP).state(), "the last member left");
    }

    @Test
    void aRestartedStaticMemberTakesOverWithoutARebalanceAndFencesItsOldId() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(1);
        String leader = ids.get(0);
        // A static member joins: no MEMBER_ID_REQUIRED round for static members.
        AtomicReference<JoinGroupResult> joined = h.join(join(GROUP, "", "instance-1", SESSION, REBALANCE,
                protocols("range")));
        assertNull(joined.get());
        AtomicReference<JoinGroupResult> leaderJoin = rejoin(leader);
        String staticId = joined.get().memberId();
        assertTrue(staticId.startsWith("instance-1-"), staticId);
        int gen = leaderJoin.get().generationId();
        AtomicReference<SyncGroupResult> staticSync = h.sync(GROUP, gen, staticId, "instance-1", Map.of());
        h.sync(GROUP, gen, leader, null, Map.of(leader, bytes("L"), staticId, bytes("S")));
        assertArrayEquals(bytes("S"), staticSync.get().assignment());

        AtomicReference<JoinGroupResult> restarted = h.join(join(GROUP, "", "instance-1", SESSION, REBALANCE,
                protocols("range")));
        JoinGroupResult r = restarted.get();
        assertNotNull(r, "an unchanged static member in a Stable group is answered at once");
        assertEquals(Errors.NONE, r.error());
        assertEquals(gen, r.generationId(), "no rebalance");
        assertNotEquals(staticId, r.memberId());
        assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, leader, null, gen), "the others keep going");
        assertEquals(Errors.FENCED_INSTANCE_ID, h.coordinator.heartbeat(GROUP, staticId, "instance-1", gen));
        assertArrayEquals(bytes("S"), h.sync(GROUP, gen, r.memberId(), "instance-1", Map.of()).get().assignment(),
                "the new id keeps the assignment");
        assertEquals(List.of(Errors.FENCED_INSTANCE_ID), h.coordinator.leaveGroup(GROUP, List.of(
                new MemberIdentity(staticId, "instance-1"))).memberErrors());
        assertEquals(List.of(Errors.UNKNOWN_MEMBER_ID), h.coordinator.leaveGroup(GROUP, List.of(
                new MemberIdentity("", "instance-unknown"))).memberErrors());
        assertEquals(List.of(Errors.NONE), h.coordinator.leaveGroup(GROUP, List.of(
                new MemberIdentity("", "instance-1"))).memberErrors());
    }

    /**
     * A Stable group of a static leader ({@code instance-1}) and a dynamic follower, both with
     * {@code protocols}; returns the static id, the follower's id and the generation.
     */
    private String[] staticLeaderAndFollower(List<JoinProtocol> protocols) {
        JoinGroupResult leaderJoin = h.join(join(GROUP, "", "instance-1", SESSION, REBALANCE, protocols)).get();
        String staticId = leaderJoin.memberId();
        assertEquals(staticId, leaderJoin.leaderId());
        String followerId = h.join(join(GROUP, "", null, SESSION, REBALANCE, protocols)).get().memberId();
        AtomicReference<JoinGroupResult> followerJoin = h.join(join(GROUP, followerId, null, SESSION, REBALANCE,
                protocols));
        AtomicReference<JoinGroupResult> leaderRejoin = h.join(join(GROUP, staticId, "instance-1", SESSION, REBALANCE,
                protocols));
        int gen = leaderRejoin.get().generationId();
        assertEquals(gen, followerJoin.get().generationId());
        assertEquals(staticId, followerJoin.get().leaderId());
        AtomicReference<SyncGroupResult> followerSync = h.sync(GROUP, gen, followerId, null, Map.of());
        h.sync(GROUP, gen, staticId, "instance-1", Map.of(staticId, bytes("L"), followerId, bytes("F")));
        assertArrayEquals(bytes("F"), followerSync.get().assignment());
        return new String[] {staticId, followerId, Integer.toString(gen)};
    }

    @Test
    void aRestartedStaticLeaderSpeakingJoinGroupV9LeadsAndSkipsTheAssignment() throws Exception {
        startWithoutInitialDelay();
        String[] group = staticLeaderAndFollower(protocols("range"));
        String staticId = group[0];
        String followerId = group[1];
        int gen = Integer.parseInt(group[2]);

        JoinGroupRequest v5 = join(GROUP, "", "instance-1", SESSION, REBALANCE,
                List.of(new JoinProtocol("range", bytes("new-subscription"))));
        JoinGroupRequest v9 = new JoinGroupRequest(v5.groupId(), v5.memberId(), v5.groupInstanceId(), v5.clientId(),
                v5.clientHost(), v5.rebalanceTimeoutMs(), v5.sessionTimeoutMs(), v5.protocolType(), v5.protocols(),
                true, true);
        JoinGroupResult r = h.join(v9).get();
        assertNotNull(r, "the chosen protocol stays: answered at once");
        assertEquals(Errors.NONE, r.error());
        assertEquals(gen, r.generationId(), "no rebalance");
        assertEquals(r.memberId(), r.leaderId(), "it leads, under its new id");
        assertTrue(r.skipAssignment(), "and must not compute a new assignment");
        assertEquals(List.of(r.memberId(), followerId), r.members().stream().map(JoinGroupResult.Member::memberId).toList());
        assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, followerId, null, gen), "the follower keeps going");
        assertEquals(Errors.FENCED_INSTANCE_ID, h.coordinator.heartbeat(GROUP, staticId, "instance-1", gen));
        assertArrayEquals(bytes("L"), h.sync(GROUP, gen, r.memberId(), "instance-1", Map.of()).get().assignment(),
                "the leader syncs without assignments and gets the one it had");
        assertEquals(GroupState.STABLE, h.coordinator.describeGroup(GROUP).state());
    }

    @Test
    void aRestartedStaticLeaderIsAnsweredAsAFollowerWithoutARebalance() throws Exception {
        startWithoutInitialDelay();
        String[] group = staticLeaderAndFollower(protocols("range"));
        String staticId = group[0];
        String followerId = group[1];
        int gen = Integer.parseInt(group[2]);

        // The instance restarts with other metadata (a consumer's owned partitions change) for the same protocol.
        JoinGroupResult r = h.join(join(GROUP, "", "instance-1", SESSION, REBALANCE,
                List.of(new JoinProtocol("range", bytes("new-subscription"))))).get();
        assertNotNull(r, "the chosen protocol stays: answered at once");
        assertEquals(Errors.NONE, r.error());
        assertEquals(gen, r.generationId(), "no rebalance");
        assertEquals("range", r.protocolName());
        assertNotEquals(staticId, r.memberId());
        assertEquals(staticId, r.leaderId(), "answered as a follower: the old leader id, so it does not assign");
        assertTrue(r.members().isEmpty());
        assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, followerId, null, gen), "the follower keeps going");
        assertEquals(Errors.FENCED_INSTANCE_ID, h.coordinator.heartbeat(GROUP, staticId, "instance-1", gen));
        assertArrayEquals(bytes("L"), h.sync(GROUP, gen, r.memberId(), "instance-1", Map.of()).get().assignment(),
                "the new id syncs for the old assignment");
        GroupDescription d = h.coordinator.describeGroup(GROUP);
        assertEquals(GroupState.STABLE, d.state());
        assertEquals(List.of(r.memberId(), followerId), d.members().stream().map(GroupDescription.Member::memberId)
                .toList(), "in the old member's place");
        assertArrayEquals(bytes("new-subscription"), d.members().get(0).metadata());

        h.restart();
        h.load();
        assertEquals(Errors.FENCED_INSTANCE_ID, h.coordinator.heartbeat(GROUP, staticId, "instance-1", gen),
                "the new id was written: a restart does not bring back the old one");
        // The new id leads the next rebalance.
        assertEquals(List.of(Errors.NONE), h.coordinator.leaveGroup(GROUP, List.of(
                new MemberIdentity(followerId, null))).memberErrors());
        JoinGroupResult next = h.join(join(GROUP, r.memberId(), "instance-1", SESSION, REBALANCE,
                protocols("range"))).get();
        assertEquals(gen + 1, next.generationId());
        assertEquals(r.memberId(), next.leaderId());
        assertEquals(1, next.members().size());
    }

    @Test
    void aRestartedStaticMemberThatChangesTheChosenProtocolRebalances() throws Exception {
        startWithoutInitialDelay();
        String[] group = staticLeaderAndFollower(protocols("range", "roundrobin"));
        String followerId = group[1];
        int gen = Integer.parseInt(group[2]);

        AtomicReference<JoinGroupResult> restarted = h.join(join(GROUP, "", "instance-1", SESSION, REBALANCE,
                protocols("roundrobin")));
        assertNull(restarted.get(), "the group would choose another protocol: it rebalances");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, h.coordinator.heartbeat(GROUP, followerId, null, gen));
        AtomicReference<JoinGroupResult> follower = h.join(join(GROUP, followerId, null, SESSION, REBALANCE,
                protocols("range", "roundrobin")));
        assertEquals(gen + 1, restarted.get().generationId());
        assertEquals("roundrobin", follower.get().protocolName());
        assertEquals(restarted.get().memberId(), follower.get().leaderId(), "the new id took the leader's place");
    }

    @Test
    void aStaticMemberWhoseNewIdCannotBeWrittenKeepsItsOldId() throws Exception {
        startWithoutInitialDelay();
        String[] group = staticLeaderAndFollower(protocols("range"));
        String staticId = group[0];
        int gen = Integer.parseInt(group[2]);
        h.replicaManager.deletePartition(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC,
                GroupCoordinator.partitionFor(GROUP, CoordinatorHarness.PARTITIONS)));

        JoinGroupResult r = h.join(join(GROUP, "", "instance-1", SESSION, REBALANCE, protocols("range"))).get();
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, r.error());
        assertEquals("", r.memberId(), "no new id: the instance joins again");
        assertEquals(Errors.NONE, h.coordinator.heartbeat(GROUP, staticId, "instance-1", gen),
                "the old id stands, as in Kafka");
        assertEquals(staticId, h.coordinator.describeGroup(GROUP).members().get(0).memberId());
    }

    @Test
    void whenTheLeaderLeavesTheFirstRemainingMemberLeadsTheNextGeneration() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(3);
        assertEquals(List.of(Errors.NONE), h.coordinator.leaveGroup(GROUP, List.of(
                new MemberIdentity(ids.get(0), null))).memberErrors());
        AtomicReference<JoinGroupResult> b = rejoin(ids.get(1));
        AtomicReference<JoinGroupResult> c = rejoin(ids.get(2));
        assertEquals(ids.get(1), b.get().leaderId());
        assertEquals(ids.get(1), c.get().leaderId());
        assertEquals(2, b.get().members().size());
        assertEquals(lastGeneration + 1, c.get().generationId());
    }

    @Test
    void aPendingMemberIdHoldsTheJoinPhaseOnlyUntilItsSessionTimeout() throws Exception {
        startWithoutInitialDelay();
        List<String> ids = stableGroup(1);
        String pending = memberId("range");
        // A rebalance timeout beyond the session timeout, so only the pending id's expiry can end the phase.
        AtomicReference<JoinGroupResult> leader = h.join(join(GROUP, ids.get(0), null, SESSION, 3 * SESSION,
                protocols("range")));
        assertNull(leader.get(), "the join phase waits for the member id handed out");
        h.advance(SESSION - 1);
        assertNull(leader.get());
        h.advance(1);
        assertEquals(Errors.NONE, leader.get().error());
        assertEquals(1, leader.get().members().size(), "the unused id expired");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, rejoin(pending).get().error());
    }

    @Test
    void groupMaxSizeRefusesTheMemberBeyondIt() throws Exception {
        start(Map.of("group.initial.rebalance.delay.ms", "0", "group.max.size", "2"));
        stableGroup(2);
        JoinGroupResult third = h.join(join(GROUP, "", null, SESSION, REBALANCE, protocols("range"))).get();
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, third.error());
        assertEquals(2, h.coordinator.describeGroup(GROUP).members().size());
    }

    @Test
    void listAndDescribeGroups() throws Exception {
        startWithoutInitialDelay();
        stableGroup(2);
        h.commit("offsets-only", "", -1, Map.of(new TopicPartition("t", 0), new PartitionOffset(5, -1, null)));
        ListGroupsResult all = h.coordinator.listGroups(Set.of());
        assertEquals(Errors.NONE, all.error());
        assertEquals(List.of(new GroupOverview(GROUP, "consumer", GroupState.STABLE),
                new GroupOverview("offsets-only", "", GroupState.EMPTY)), all.groups());
        assertEquals(List.of(new GroupOverview("offsets-only", "", GroupState.EMPTY)),
                h.coordinator.listGroups(GroupCoordinator.statesFilter(List.of("empty"))).groups());
        GroupDescription unknown = h.coordinator.describeGroup("absent");
        assertEquals(GroupState.DEAD, unknown.state());
        assertTrue(unknown.members().isEmpty());
        GroupDescription d = h.coordinator.describeGroup(GROUP);
        assertEquals("client", d.members().get(0).clientId());
        assertEquals("/127.0.0.1", d.members().get(0).clientHost());
    }

    @Test
    void kafkasPartitionOfAGroup() {
        for (String id : List.of("g", "billing", "polygenelubricants", "", "group-with-a-long-name-0123456789")) {
            assertEquals(Utils.abs(id.hashCode()) % 50, GroupCoordinator.partitionFor(id, 50), id);
        }
        assertEquals(Integer.MIN_VALUE, "polygenelubricants".hashCode(), "the case Utils.abs exists for");
    }

    @Test
    void shutdownAnswersParkedJoinsWithNotCoordinator() throws Exception {
        start(Map.of("group.initial.rebalance.delay.ms", "3000"));
        AtomicReference<JoinGroupResult> parked = rejoin(memberId("range"));
        assertNull(parked.get());
        h.coordinator.shutdown();
        assertEquals(Errors.NOT_COORDINATOR, parked.get().error());
        assertEquals(Errors.NOT_COORDINATOR, h.coordinator.heartbeat(GROUP, "m", null, 1));
    }
}
