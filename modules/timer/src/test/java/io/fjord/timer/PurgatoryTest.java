package io.fjord.timer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The purgatory on a hand-moved clock, its reaper turned by the test unless a test says otherwise. */
class PurgatoryTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<Purgatory<String, Op>> opened = new ArrayList<>();

    /** An operation that can complete once {@code ready} is set, recording its callbacks in order. */
    static class Op extends DelayedOperation {
        volatile boolean ready;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger completions = new AtomicInteger();
        final AtomicInteger expirations = new AtomicInteger();

        Op(long delayMs) {
            super(delayMs);
        }

        @Override
        protected boolean tryComplete() {
            return ready && forceComplete();
        }

        @Override
        protected void onComplete() {
            completions.incrementAndGet();
            events.add("complete");
        }

        @Override
        protected void onExpiration() {
            expirations.incrementAndGet();
            events.add("expire");
        }
    }

    private Purgatory<String, Op> purgatory(int purgeInterval) {
        Purgatory<String, Op> p = new Purgatory<>("test", new Timer("test", clock::get), purgeInterval, false);
        opened.add(p);
        return p;
    }

    @AfterEach
    void shutDown() {
        opened.forEach(Purgatory::shutdown);
    }

    private void moveTo(Purgatory<String, Op> purgatory, long timeMs) throws InterruptedException {
        clock.set(timeMs);
        purgatory.advanceClock(0);
    }

    @Test
    void anOperationThatCanCompleteIsNeverParked() {
        Purgatory<String, Op> purgatory = purgatory(1000);
        Op op = new Op(1000);
        op.ready = true;
        assertTrue(purgatory.tryCompleteElseWatch(op, List.of("a")));
        assertEquals(List.of("complete"), op.events);
        assertEquals(0, purgatory.watched());
        assertEquals(0, purgatory.numDelayed());
    }

    @Test
    void anEventOnAnyOfItsKeysCompletesAParkedOperation() throws Exception {
        Purgatory<String, Op> purgatory = purgatory(1000);
        Op op = new Op(1000);
        assertFalse(purgatory.tryCompleteElseWatch(op, List.of("a", "b")));
        assertEquals(2, purgatory.watched());
        assertEquals(1, purgatory.numDelayed());
        assertEquals(0, purgatory.checkAndComplete("a"), "not ready yet");
        assertEquals(0, purgatory.checkAndComplete("unwatched"));

        op.ready = true;
        assertEquals(1, purgatory.checkAndComplete("b"));
        assertEquals(List.of("complete"), op.events);
        assertEquals(0, purgatory.numDelayed(), "completion must take the operation out of the timer");
        assertEquals(1, purgatory.watched(), "still on a's list until a is checked or purged");
        assertEquals(0, purgatory.checkAndComplete("a"));
        assertEquals(0, purgatory.watched());

        moveTo(purgatory, 5_000);
        assertEquals(List.of("complete"), op.events, "a completed operation must not expire");
    }

    @Test
    void expiryRunsOnExpirationThenOnCompleteOnceAndNothingAfter() throws Exception {
        Purgatory<String, Op> purgatory = purgatory(1000);
        Op op = new Op(100);
        purgatory.tryCompleteElseWatch(op, List.of("a"));
        moveTo(purgatory, 99);
        assertEquals(List.of(), op.events);
        moveTo(purgatory, 100);
        assertEquals(List.of("expire", "complete"), op.events);
        assertTrue(op.isCompleted());
        assertEquals(0, purgatory.numDelayed());

        op.ready = true;
        assertEquals(0, purgatory.checkAndComplete("a"));
        assertFalse(op.forceComplete());
        moveTo(purgatory, 10_000);
        assertEquals(List.of("expire", "complete"), op.events);
    }

    @Test
    void anOperationWithNoTimeLeftExpiresAtOnceOnTheParkingThread() {
        Purgatory<String, Op> purgatory = purgatory(1000);
        Op op = new Op(0);
        assertFalse(purgatory.tryCompleteElseWatch(op, List.of("a")));
        assertEquals(List.of("expire", "complete"), op.events);
        assertEquals(0, purgatory.numDelayed());
        op.ready = true;
        assertEquals(0, purgatory.checkAndComplete("a"));
        assertEquals(0, purgatory.watched());
    }

    @Test
    void forceCompleteWinsExactlyOnceAmongRacingThreads() throws Exception {
        int threads = 4;
        int rounds = 2_000;
        Op[] ops = new Op[rounds];
        for (int i = 0; i < rounds; i++) {
            ops[i] = new Op(1000);
        }
        AtomicInteger wins = new AtomicInteger();
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            racers.add(new Thread(() -> {
                try {
                    for (Op op : ops) {
                        barrier.await();
                        if (op.forceComplete()) {
                            wins.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        racers.forEach(Thread::start);
        for (Thread racer : racers) {
            racer.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(rounds, wins.get());
        for (Op op : ops) {
            assertEquals(1, op.completions.get());
        }
    }

    /**
     * The window between "not ready" and "on the watch list", opened on purpose: after the first
     * check has decided "not ready", another thread makes the operation ready and checks its key
     * (finding nothing watched). The second check, after watching, must complete it.
     */
    @Test
    void anEventBetweenTheFirstCheckAndTheWatchIsNotLost() throws Exception {
        Purgatory<String, Op> purgatory = purgatory(1000);
        AtomicInteger checkedMeanwhile = new AtomicInteger(-1);
        Op op = new Op(Timer.MAX_DELAY_MS) {
            private boolean first = true;

            @Override
            protected boolean tryComplete() {
                boolean wasReady = ready;
                if (first) {
                    first = false;
                    Thread event = new Thread(() -> {
                        ready = true;
                        checkedMeanwhile.set(purgatory.checkAndComplete("k"));
                    });
                    event.start();
                    try {
                        event.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                return wasReady && forceComplete();
            }
        };
        assertTrue(purgatory.tryCompleteElseWatch(op, List.of("k")));
        assertEquals(0, checkedMeanwhile.get(), "the event came before the operation was watched");
        assertEquals(List.of("complete"), op.events);
        assertEquals(0, purgatory.numDelayed());
    }

    /**
     * The same window left to chance: an operation parked while another
     * thread makes it ready and checks its key must complete then, never be left to its time-out.
     */
    @Test
    void noWakeUpIsLostBetweenParkingAndAConcurrentCheck() throws Exception {
        Purgatory<String, Op> purgatory = purgatory(1000);
        int rounds = 3_000;
        Op[] ops = new Op[rounds];
        for (int i = 0; i < rounds; i++) {
            ops[i] = new Op(Timer.MAX_DELAY_MS);
        }
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Thread parker = new Thread(() -> {
            try {
                for (Op op : ops) {
                    barrier.await();
                    purgatory.tryCompleteElseWatch(op, List.of("p"));
                }
            } catch (Exception e) {
                failures.add(e);
            }
        });
        Thread completer = new Thread(() -> {
            try {
                for (Op op : ops) {
                    barrier.await();
                    op.ready = true;
                    purgatory.checkAndComplete("p");
                }
            } catch (Exception e) {
                failures.add(e);
            }
        });
        parker.start();
        completer.start();
        parker.join();
        completer.join();
        assertEquals(List.of(), failures);
        for (int i = 0; i < rounds; i++) {
            assertEquals(1, ops[i].completions.get(), "operation " + i);
            assertEquals(0, ops[i].expirations.get(), "operation " + i);
        }
        assertEquals(0, purgatory.numDelayed());
    }

    /**
     * Checkers, a force-completer and the reaper expiring on a moving clock, all at once over
     * thousands of operations on shared keys: every operation completes exactly once, and the
     * completions the callers report add up to the operations.
     */
    @Test
    void exactlyOnceUnderConcurrentChecksForceCompletesAndExpiry() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            stressRound(seed);
        }
    }

    private void stressRound(long seed) throws Exception {
        clock.set(0);
        Purgatory<String, Op> purgatory = purgatory(64);
        int operations = 8_000;
        int keys = 32;
        int checkers = 3;
        Random random = new Random(seed);
        Op[] ops = new Op[operations];
        String[][] keysOf = new String[operations][];
        for (int i = 0; i < operations; i++) {
            ops[i] = new Op(1 + random.nextInt(40));
            keysOf[i] = new String[] {"k" + random.nextInt(keys), "k" + random.nextInt(keys)};
            assertFalse(purgatory.tryCompleteElseWatch(ops[i], List.of(keysOf[i])));
        }
        assertEquals(operations, purgatory.numDelayed());

        AtomicInteger completedByChecks = new AtomicInteger();
        AtomicInteger completedByForce = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < checkers; c++) {
            int first = c;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (int i = first; i < operations; i += checkers) {
                        if (i % 2 == 0) {
                            ops[i].ready = true;
                        }
                        completedByChecks.addAndGet(purgatory.checkAndComplete(keysOf[i][i % 2]));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.add(new Thread(() -> {
            try {
                go.await();
                for (int i = 1; i < operations; i += 10) {
                    if (ops[i].forceComplete()) {
                        completedByForce.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        threads.add(new Thread(() -> {
            try {
                go.await();
                for (int t = 1; t <= 50; t++) {
                    clock.set(t);
                    purgatory.advanceClock(0);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);

        int expired = 0;
        for (int i = 0; i < operations; i++) {
            Op op = ops[i];
            assertEquals(1, op.completions.get(), "seed " + seed + " operation " + i);
            assertTrue(op.expirations.get() <= 1);
            if (op.expirations.get() == 1) {
                assertEquals(List.of("expire", "complete"), op.events);
                expired++;
            }
        }
        assertEquals(operations, completedByChecks.get() + completedByForce.get() + expired, "seed " + seed);
        assertEquals(0, purgatory.numDelayed());
        for (int k = 0; k < keys; k++) {
            assertEquals(0, purgatory.checkAndComplete("k" + k));
        }
        assertEquals(0, purgatory.watched(), "every check drops the completed operations of its key");
    }

    @Test
    void purgesKeepWatchListsOfCompletedOperationsBounded() throws Exception {
        int purgeInterval = 10;
        Purgatory<String, Op> purging = purgatory(purgeInterval);
        Purgatory<String, Op> neverPurging = purgatory(Integer.MAX_VALUE);
        int most = 0;
        for (int i = 0; i < 5_000; i++) {
            for (Purgatory<String, Op> p : List.of(purging, neverPurging)) {
                Op op = new Op(1_000_000);
                p.tryCompleteElseWatch(op, List.of("shared", "own-" + i));
                // Completed from outside the purgatory: no check of its keys will ever meet it.
                assertTrue(op.forceComplete());
                p.advanceClock(0);
            }
            most = Math.max(most, purging.watched());
        }
        assertTrue(most <= 2 * (purgeInterval + 1), "watch lists grew to " + most);
        assertEquals(10_000, neverPurging.watched(), "without purges every completed operation stays watched");
        assertEquals(0, purging.numDelayed());
    }

    @Test
    void cancelForKeyStopsWatchingWithoutCompleting() throws Exception {
        Purgatory<String, Op> purgatory = purgatory(1000);
        Op onlyA = new Op(100);
        Op aAndB = new Op(100);
        Op onlyB = new Op(100);
        purgatory.tryCompleteElseWatch(onlyA, List.of("a"));
        purgatory.tryCompleteElseWatch(aAndB, List.of("a", "b"));
        purgatory.tryCompleteElseWatch(onlyB, List.of("b"));
        assertEquals(Set.of(onlyA, aAndB), Set.copyOf(purgatory.cancelForKey("a")));
        assertEquals(List.of(), purgatory.cancelForKey("a"));
        assertEquals(1, purgatory.numDelayed());
        assertEquals(2, purgatory.watched());
        moveTo(purgatory, 100);
        assertEquals(List.of(), onlyA.events);
        assertEquals(List.of(), aAndB.events);
        assertEquals(List.of("expire", "complete"), onlyB.events);
    }

    @Test
    void anOperationNeedsAKey() {
        Purgatory<String, Op> purgatory = purgatory(1000);
        assertThrows(IllegalArgumentException.class, () -> purgatory.tryCompleteElseWatch(new Op(1), List.of()));
    }

    @Test
    void theReaperThreadExpiresOnRealTimeAndShutdownStopsIt() throws Exception {
        Purgatory<String, Op> purgatory = Purgatory.start("reaped");
        CountDownLatch expired = new CountDownLatch(1);
        Op quick = new Op(5) {
            @Override
            protected void onComplete() {
                super.onComplete();
                expired.countDown();
            }
        };
        Op slow = new Op(TimeUnit.HOURS.toMillis(1));
        purgatory.tryCompleteElseWatch(quick, List.of("a"));
        purgatory.tryCompleteElseWatch(slow, List.of("a"));
        assertTrue(expired.await(60, TimeUnit.SECONDS), "the reaper did not expire a 5 ms operation");
        assertEquals(List.of("expire", "complete"), quick.events);

        purgatory.shutdown();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("ExpirationReaper-reaped")), "the reaper outlived shutdown");
        assertEquals(List.of(), slow.events, "shutdown neither completes nor expires pending operations");
        assertEquals(0, purgatory.numDelayed());
        assertThrows(IllegalStateException.class, () -> purgatory.tryCompleteElseWatch(new Op(1), List.of("a")));
        purgatory.shutdown();
    }
}
