package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationException.Reason;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.ProducerIdBlock;
import io.fjord.controller.coordination.Versioned;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every method of the session against a real ZooKeeper server, each test in a chroot of its own. */
class ZooKeeperSessionTest {

    private static ZooKeeperFixture zk;
    private String connect;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = ZooKeeperFixture.start();
    }

    @AfterAll
    static void stopZooKeeper() {
        zk.close();
    }

    @BeforeEach
    void namespace() {
        connect = Sessions.newNamespace(zk);
    }

    private CoordinationSession session() {
        return Sessions.open(zk, connect, ZooKeeperFixture.ignoringListener());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Versioned v) {
        return new String(v.data(), StandardCharsets.UTF_8);
    }

    @Test
    void brokerRegistrationIsEphemeralAndItsEpochIsTheCreationStampWhichGrowsOnEveryRegistration() {
        CoordinationSession first = session();
        CoordinationSession observer = session();
        long epoch = first.registerBroker(1, bytes("{\"host\":\"a\"}"));
        Versioned entry = observer.read(ClusterPaths.broker(1)).orElseThrow();
        assertEquals(epoch, entry.creationStamp());
        assertEquals("{\"host\":\"a\"}", text(entry));
        assertEquals(List.of("1"), observer.children(ClusterPaths.BROKER_IDS));

        long again = first.registerBroker(1, bytes("{\"host\":\"b\"}"));
        assertTrue(again > epoch, again + " after " + epoch);
        assertEquals("{\"host\":\"b\"}", text(observer.read(ClusterPaths.broker(1)).orElseThrow()));

        long other = observer.registerBroker(2, bytes("{}"));
        assertTrue(other > again);

        first.close();
        assertEquals(Optional.empty(), observer.read(ClusterPaths.broker(1)), "the registration died with its session");
        CoordinationSession restarted = session();
        assertTrue(restarted.registerBroker(1, bytes("{}")) > other);
    }

    @Test
    void anIdHeldByAnotherLiveSessionIsInUseAndUnregisteringLeavesOthersRegistrationsAlone() {
        CoordinationSession holder = session();
        CoordinationSession intruder = session();
        holder.registerBroker(3, bytes("holder"));
        CoordinationException e = assertThrows(CoordinationException.class, () -> intruder.registerBroker(3, bytes("x")));
        assertEquals(Reason.ID_IN_USE, e.reason());
        assertEquals(ClusterPaths.broker(3), e.path());

        intruder.unregisterBroker(3);
        assertEquals("holder", text(holder.read(ClusterPaths.broker(3)).orElseThrow()));
        holder.unregisterBroker(3);
        assertEquals(Optional.empty(), intruder.read(ClusterPaths.broker(3)));
        intruder.registerBroker(3, bytes("now mine"));
    }

    @Test
    void electionWritesKafkasControllerZnodeAndBumpsTheEpochWhoseVersionIsTheFence() {
        CoordinationSession a = session();
        CoordinationSession b = session();
        assertEquals(OptionalInt.empty(), b.activeController());

        ControllerLease lease = a.tryElectController(1).orElseThrow();
        assertEquals(new ControllerLease(1, 1, 1), lease);
        assertEquals(OptionalInt.of(1), b.activeController());
        String controller = text(b.read(ClusterPaths.CONTROLLER).orElseThrow());
        assertTrue(controller.matches("\\{\"version\":1,\"brokerid\":1,\"timestamp\":\"\\d+\"}"), controller);
        Versioned epoch = b.read(ClusterPaths.CONTROLLER_EPOCH).orElseThrow();
        assertEquals("1", text(epoch));
        assertEquals(lease.fence(), epoch.version());

        assertEquals(Optional.empty(), b.tryElectController(2));
        assertEquals(Optional.of(lease), a.tryElectController(1), "a controller running again keeps its lease");

        a.close();
        ControllerLease next = b.tryElectController(2).orElseThrow();
        assertEquals(new ControllerLease(2, 2, 2), next);
        assertEquals(OptionalInt.of(2), b.activeController());
    }

    @Test
    void twoSessionsRacingForControllerElectExactlyOneAndEpochsOnlyGrow() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int lastEpoch = 0;
            for (int round = 0; round < 10; round++) {
                CoordinationSession a = session();
                CoordinationSession b = session();
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Optional<ControllerLease>> runA = () -> {
                    start.await();
                    return a.tryElectController(1);
                };
                Callable<Optional<ControllerLease>> runB = () -> {
                    start.await();
                    return b.tryElectController(2);
                };
                Future<Optional<ControllerLease>> fa = pool.submit(runA);
                Future<Optional<ControllerLease>> fb = pool.submit(runB);
                Optional<ControllerLease> la = fa.get();
                Optional<ControllerLease> lb = fb.get();
                assertTrue(la.isPresent() ^ lb.isPresent(), "round " + round + ": " + la + " and " + lb);
                ControllerLease won = la.orElseGet(lb::orElseThrow);
                assertEquals(lastEpoch + 1, won.epoch(), "round " + round);
                assertEquals(OptionalInt.of(won.controllerId()), a.activeController());
                lastEpoch = won.epoch();
                a.close();
                b.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeposedControllersWritesAreFencedAndChangeNothing() {
        CoordinationSession old = session();
        CoordinationSession next = session();
        ControllerLease stale = old.tryElectController(1).orElseThrow();
        old.write(stale, List.of(new Op.Create("/brokers/topics/t", bytes("v1"))));

        old.resignController(stale);
        assertEquals(OptionalInt.empty(), next.activeController());
        ControllerLease current = next.tryElectController(2).orElseThrow();
        assertTrue(current.epoch() > stale.epoch());

        CoordinationException fenced = assertThrows(CoordinationException.class, () -> old.write(stale, List.of(
                new Op.SetData("/brokers/topics/t", bytes("v2"), Op.ANY_VERSION),
                new Op.Create("/brokers/topics/u", bytes("x")))));
        assertEquals(Reason.FENCED, fenced.reason());
        assertEquals(ClusterPaths.CONTROLLER_EPOCH, fenced.path());
        assertEquals("v1", text(next.read("/brokers/topics/t").orElseThrow()));
        assertEquals(Optional.empty(), next.read("/brokers/topics/u"));

        old.resignController(stale);
        assertEquals(OptionalInt.of(2), next.activeController(), "a stale lease cannot resign the current controller");

        next.write(current, List.of(new Op.SetData("/brokers/topics/t", bytes("v2"), 0)));
        assertEquals(1, next.read("/brokers/topics/t").orElseThrow().version());
    }

    @Test
    void aMultiWriteIsAllOrNothingCreatesMissingParentsAndNamesTheFailingPath() {
        CoordinationSession s = session();
        s.write(List.of(
                new Op.Create(ClusterPaths.topic("t"), bytes("{\"partitions\":{}}")),
                new Op.Create(ClusterPaths.partitionState("t", 0), bytes("{\"leader\":1}")),
                new Op.Create(ClusterPaths.partitionState("t", 1), bytes("{\"leader\":2}"))));
        assertEquals(List.of("0", "1"), s.children(ClusterPaths.partitions("t")));
        assertEquals("{\"leader\":1}", text(s.read(ClusterPaths.partitionState("t", 0)).orElseThrow()));
        assertArrayEquals(new byte[0], s.read(ClusterPaths.partition("t", 0)).orElseThrow().data());

        CoordinationException stale = assertThrows(CoordinationException.class, () -> s.write(List.of(
                new Op.Create(ClusterPaths.topic("u"), bytes("u")),
                new Op.SetData(ClusterPaths.partitionState("t", 0), bytes("{\"leader\":3}"), 7))));
        assertEquals(Reason.CONDITION_FAILED, stale.reason());
        assertEquals(ClusterPaths.partitionState("t", 0), stale.path());
        assertEquals(Optional.empty(), s.read(ClusterPaths.topic("u")), "nothing of a failed write is applied");

        CoordinationException exists = assertThrows(CoordinationException.class,
                () -> s.write(List.of(new Op.Create(ClusterPaths.topic("t"), bytes("again")))));
        assertEquals(Reason.CONDITION_FAILED, exists.reason());
        assertEquals(ClusterPaths.topic("t"), exists.path());

        CoordinationException check = assertThrows(CoordinationException.class, () -> s.write(List.of(
                new Op.Check(ClusterPaths.partitionState("t", 1), 3),
                new Op.Delete(ClusterPaths.partitionState("t", 0), 0))));
        assertEquals(ClusterPaths.partitionState("t", 1), check.path());

        s.write(List.of(
                new Op.Check(ClusterPaths.partitionState("t", 1), 0),
                new Op.SetData(ClusterPaths.partitionState("t", 0), bytes("{\"leader\":3}"), 0),
                new Op.Delete(ClusterPaths.partitionState("t", 1), Op.ANY_VERSION)));
        Versioned state = s.read(ClusterPaths.partitionState("t", 0)).orElseThrow();
        assertEquals(1, state.version(), "the version counts data changes: the partition epoch");
        assertEquals(Optional.empty(), s.read(ClusterPaths.partitionState("t", 1)));
        assertEquals(List.of(), s.children("/nowhere"));
        assertEquals(Optional.empty(), s.read("/nowhere"));
    }

    @Test
    void sequentialEntriesGetGrowingNumbersUnderTheirParent() {
        CoordinationSession s = session();
        String first = s.createSequential(ClusterPaths.CONFIG_CHANGE_PREFIX, bytes("{\"entity_path\":\"topics/t\"}"));
        String second = s.createSequential(ClusterPaths.CONFIG_CHANGE_PREFIX, bytes("{}"));
        assertTrue(first.matches("/config/changes/config_change_\\d{10}"), first);
        assertTrue(second.compareTo(first) > 0, second + " after " + first);
        assertEquals(List.of(first.substring(first.lastIndexOf('/') + 1), second.substring(second.lastIndexOf('/') + 1)),
                s.children(ClusterPaths.CONFIG_CHANGES));
        assertEquals("{}", text(s.read(second).orElseThrow()));
    }

    @Test
    void producerIdBlocksFollowKafkasFormatAndNeverOverlapAcrossSessions() throws Exception {
        CoordinationSession a = session();
        CoordinationSession b = session();
        assertEquals(new ProducerIdBlock(1, 0, 1000), a.allocateProducerIds(1, 1000));
        assertEquals("{\"version\":1,\"broker\":1,\"block_start\":\"0\",\"block_end\":\"999\"}",
                text(b.read(ClusterPaths.PRODUCER_ID_BLOCK).orElseThrow()));
        assertEquals(new ProducerIdBlock(2, 1000, 10), b.allocateProducerIds(2, 10));
        assertThrows(IllegalArgumentException.class, () -> a.allocateProducerIds(1, 0));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<List<ProducerIdBlock>>> futures = new ArrayList<>();
            for (CoordinationSession s : List.of(a, b)) {
                int broker = s == a ? 1 : 2;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<ProducerIdBlock> blocks = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        blocks.add(s.allocateProducerIds(broker, 7));
                    }
                    return blocks;
                }));
            }
            List<ProducerIdBlock> all = new ArrayList<>();
            for (Future<List<ProducerIdBlock>> f : futures) {
                all.addAll(f.get());
            }
            all.sort((x, y) -> Long.compare(x.firstId(), y.firstId()));
            assertEquals(100, all.size());
            long next = 1010;
            for (ProducerIdBlock block : all) {
                assertEquals(next, block.firstId(), "blocks must be contiguous and disjoint: " + all);
                next = block.lastId() + 1;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aChrootIsCreatedWhenMissingAndHoldsEverythingTheSessionWrites() {
        CoordinationSession chrooted = session();
        chrooted.registerBroker(5, bytes("{}"));
        CoordinationSession root = Sessions.open(zk, zk.connectString(), ZooKeeperFixture.ignoringListener());
        String chroot = connect.substring(connect.indexOf('/'));
        assertTrue(root.read(chroot + ClusterPaths.broker(5)).isPresent());
        assertEquals(Optional.empty(), root.read(ClusterPaths.broker(5)));
    }

    @Test
    void openingWithoutAServerFailsUnavailableWithinTheConnectionTimeout() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var engine = zk.engine(Map.of("connect", "127.0.0.1:" + closedPort, "connection.timeout.ms", "500"));
        CoordinationException e = assertThrows(CoordinationException.class,
                () -> engine.open(ZooKeeperFixture.ignoringListener()));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
    }

    @Test
    void aClosedSessionRefusesCalls() {
        CoordinationSession s = session();
        s.close();
        s.close();
        CoordinationException e = assertThrows(CoordinationException.class, () -> s.read("/x"));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertFalse(e.getMessage().isBlank());
    }
}
