package io.fjord.timer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timing wheel driven by a hand-moved clock: nothing here waits for real time. */
class TimerTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<Recorder> fired = Collections.synchronizedList(new ArrayList<>());

    /** Records the clock at its run and its place in the firing order. */
    private final class Recorder extends TimerTask {
        final long deadline;
        final AtomicInteger runs = new AtomicInteger();
        volatile long firedAt = Long.MIN_VALUE;

        Recorder(long delayMs) {
            super(delayMs);
            this.deadline = clock.get() + delayMs;
        }

        @Override
        public void run() {
            firedAt = clock.get();
            runs.incrementAndGet();
            fired.add(this);
        }
    }

    private static void drain(Timer timer) throws InterruptedException {
        while (timer.advanceClock(0)) {
            // each turn expires every bucket that is due; loop until one finds none
        }
    }

    private void moveTo(Timer timer, long timeMs) throws InterruptedException {
        clock.set(timeMs);
        drain(timer);
    }

    /** Delays that land in the first wheel, on level boundaries, and in overflow wheels 1 to 4. */
    private static final long[] DELAYS = {1, 2, 19, 20, 21, 399, 400, 401, 7_999, 8_000, 8_001, 159_999, 160_000,
            160_001, 3_199_999, 3_200_000, 3_200_001, 17_000_017};

    @ParameterizedTest(name = "clock starting at {0}")
    @ValueSource(longs = {0, 1_000_003, -1_000_000_007, 1L << 59})
    void everyTaskFiresExactlyAtItsDeadlineNeverBefore(long start) throws Exception {
        for (long delay : DELAYS) {
            clock.set(start);
            fired.clear();
            try (Timer timer = new Timer("t", clock::get)) {
                Recorder task = new Recorder(delay);
                timer.add(task);
                assertEquals(1, timer.size());
                moveTo(timer, task.deadline - 1);
                assertEquals(0, task.runs.get(), "delay " + delay + " fired early");
                assertEquals(1, timer.size());
                moveTo(timer, task.deadline);
                assertEquals(1, task.runs.get(), "delay " + delay + " did not fire at its deadline");
                assertEquals(task.deadline, task.firedAt);
                assertEquals(0, timer.size());
                moveTo(timer, task.deadline + 10_000_000);
                assertEquals(1, task.runs.get(), "delay " + delay + " fired twice");
            }
        }
    }

    @Test
    void tasksWalkDownFromOverflowWheelsOneMillisecondAtATime() throws Exception {
        clock.set(37);
        try (Timer timer = new Timer("t", clock::get)) {
            List<Recorder> tasks = new ArrayList<>();
            for (long delay = 1; delay <= 9_000; delay += 7) {
                Recorder task = new Recorder(delay);
                tasks.add(task);
                timer.add(task);
            }
            // Wheels of 20, 400, 8000 and 160000 ms: each wheel's span starts at its clock rounded
            // down to its tick, so the 8000 ms wheel covers [0, 8000) and 9037 needs the next one.
            assertEquals(4, timer.levels());
            for (long t = 38; t <= 37 + 9_000; t++) {
                moveTo(timer, t);
                for (Recorder task : tasks) {
                    assertEquals(task.deadline <= t ? 1 : 0, task.runs.get(), "deadline " + task.deadline + " at " + t);
                }
            }
        }
    }

    @Test
    void aTaskWithNoDelayRunsOnTheAddingThreadAtOnce() {
        try (Timer timer = new Timer("t", clock::get)) {
            Recorder task = new Recorder(0);
            timer.add(task);
            assertEquals(1, task.runs.get());
            assertEquals(0, timer.size());
        }
    }

    @Test
    void cancelledTasksNeverFireAndLeaveAtOnce() throws Exception {
        Random random = new Random(7);
        try (Timer timer = new Timer("t", clock::get)) {
            List<Recorder> kept = new ArrayList<>();
            List<Recorder> cancelled = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                Recorder task = new Recorder(1 + random.nextInt(100_000));
                timer.add(task);
                (i % 2 == 0 ? kept : cancelled).add(task);
            }
            for (Recorder task : cancelled) {
                task.cancel();
                task.cancel();
            }
            assertEquals(kept.size(), timer.size());
            moveTo(timer, 100_001);
            kept.forEach(t -> assertEquals(1, t.runs.get()));
            cancelled.forEach(t -> assertEquals(0, t.runs.get()));
            assertEquals(0, timer.size());
        }
    }

    @Test
    void reAddingAScheduledTaskMovesItToItsNewDeadline() throws Exception {
        try (Timer timer = new Timer("t", clock::get)) {
            Recorder task = new Recorder(100);
            timer.add(task);
            moveTo(timer, 50);
            timer.add(task);
            assertEquals(1, timer.size(), "the old entry must leave its bucket");
            moveTo(timer, 149);
            assertEquals(0, task.runs.get(), "fired at the first deadline although moved");
            moveTo(timer, 150);
            assertEquals(1, task.runs.get());
            assertEquals(150, task.firedAt);
            timer.add(task);
            moveTo(timer, 250);
            assertEquals(2, task.runs.get(), "a task that ran can be scheduled again");
        }
    }

    /**
     * Thousands of seeded deadlines across all levels, tasks added while time moves in uneven
     * steps: each task fires once, at the first clock reading at or after its deadline, and the
     * firing order never goes back in deadline.
     */
    @Test
    void randomDeadlinesFireOnceAtTheFirstStepPastThemInDeadlineOrder() throws Exception {
        Random random = new Random(20_260_101L);
        clock.set(5_000);
        List<Long> readings = new ArrayList<>();
        List<Recorder> all = new ArrayList<>();
        try (Timer timer = new Timer("t", clock::get)) {
            readings.add(clock.get());
            for (int step = 0; step < 400; step++) {
                for (int i = 0; i < 50; i++) {
                    // Delays spread over orders of magnitude, so every level is used.
                    Recorder task = new Recorder(random.nextInt(1 << random.nextInt(22)));
                    all.add(task);
                    timer.add(task);
                }
                moveTo(timer, clock.get() + 1 + random.nextInt(3_000));
                readings.add(clock.get());
            }
            long last = clock.get();
            long maxDeadline = all.stream().mapToLong(t -> t.deadline).max().orElseThrow();
            moveTo(timer, Math.max(last, maxDeadline));
            readings.add(clock.get());
            assertEquals(0, timer.size());
        }
        assertEquals(all.size(), fired.size());
        for (Recorder task : all) {
            assertEquals(1, task.runs.get());
            int i = Collections.binarySearch(readings, task.deadline);
            long expected = readings.get(i >= 0 ? i : -i - 1);
            assertEquals(expected, task.firedAt, "deadline " + task.deadline);
        }
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1).deadline <= fired.get(i).deadline,
                    "fired " + fired.get(i - 1).deadline + " before " + fired.get(i).deadline);
        }
    }

    @Test
    void concurrentAddsAndCancelsWhileTheClockMoves() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        try (Timer timer = new Timer("t", clock::get)) {
            List<List<Recorder>> kept = new ArrayList<>();
            List<List<Recorder>> cancelled = new ArrayList<>();
            List<Thread> adders = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                List<Recorder> keep = Collections.synchronizedList(new ArrayList<>());
                List<Recorder> drop = Collections.synchronizedList(new ArrayList<>());
                kept.add(keep);
                cancelled.add(drop);
                Random random = new Random(t);
                adders.add(new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        Recorder task = new Recorder(random.nextInt(2_000));
                        timer.add(task);
                        if (random.nextInt(3) == 0) {
                            task.cancel();
                            // Cancelled after it may have run already: only count it if it had not.
                            if (task.runs.get() == 0) {
                                drop.add(task);
                                continue;
                            }
                        }
                        keep.add(task);
                    }
                }));
            }
            adders.forEach(Thread::start);
            go.countDown();
            while (adders.stream().anyMatch(Thread::isAlive)) {
                moveTo(timer, clock.get() + 1);
            }
            for (Thread adder : adders) {
                adder.join();
            }
            moveTo(timer, clock.get() + 2_001);
            assertEquals(0, timer.size());
            int ran = 0;
            for (List<Recorder> list : kept) {
                for (Recorder task : list) {
                    assertEquals(1, task.runs.get());
                    assertTrue(task.firedAt >= task.deadline, "fired before its deadline");
                    ran++;
                }
            }
            for (List<Recorder> list : cancelled) {
                for (Recorder task : list) {
                    assertTrue(task.runs.get() <= 1);
                    ran += task.runs.get();
                }
            }
            assertEquals(ran, fired.size());
        }
    }

    /**
     * Tasks moved by one thread while the reaper moves their entries down the levels: once all
     * are cancelled no entry may be left behind in a bucket.
     */
    @Test
    void movingTasksWhileTheReaperCascadesThemLeavesNoStrayEntry() throws Exception {
        try (Timer timer = new Timer("t", clock::get)) {
            List<Recorder> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // 15 to 914 ms: overflow buckets that expire often, so moves meet cascades.
                tasks.add(new Recorder(15 + (i * 37) % 900));
            }
            tasks.forEach(timer::add);
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            Thread mover = new Thread(() -> {
                try {
                    Random random = new Random(11);
                    for (int i = 0; i < 50_000; i++) {
                        timer.add(tasks.get(random.nextInt(tasks.size())));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            mover.start();
            while (mover.isAlive()) {
                moveTo(timer, clock.get() + 1);
            }
            mover.join();
            assertEquals(List.of(), failures);
            assertTrue(timer.size() <= tasks.size(), "more entries than tasks: " + timer.size());
            tasks.forEach(TimerTask::cancel);
            assertEquals(0, timer.size(), "entries left in buckets after every task was cancelled");
            int runs = fired.size();
            moveTo(timer, clock.get() + 10_000);
            assertEquals(runs, fired.size(), "a cancelled task ran");
        }
    }

    @Test
    void hugeDelaysAreClampedAndTheHierarchyStaysBounded() throws Exception {
        try (Timer timer = new Timer("t", clock::get)) {
            Recorder task = new Recorder(Long.MAX_VALUE);
            assertEquals(Timer.MAX_DELAY_MS, task.delayMs());
            timer.add(task);
            assertTrue(timer.levels() <= 11, "levels: " + timer.levels());
            moveTo(timer, Timer.MAX_DELAY_MS - 1);
            assertEquals(0, task.runs.get());
            moveTo(timer, Timer.MAX_DELAY_MS);
            assertEquals(1, task.runs.get());
        }
    }

    @Test
    void negativeDelaysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Recorder(-1));
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() throws Exception {
        try (Timer timer = new Timer("t", clock::get)) {
            timer.add(new TimerTask(10) {
                @Override
                public void run() {
                    throw new IllegalStateException("deliberate failure of a timer task");
                }
            });
            Recorder after = new Recorder(10);
            timer.add(after);
            moveTo(timer, 10);
            assertEquals(1, after.runs.get());
        }
    }

    @Test
    void closeDropsPendingTasksRejectsAddsAndReleasesAWaitingReaper() throws Exception {
        Timer timer = new Timer("t", clock::get);
        Recorder pending = new Recorder(100);
        timer.add(pending);
        AtomicLong returned = new AtomicLong(-1);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Thread reaper = new Thread(() -> {
            try {
                // Nothing is due: only close() can end this wait before its minute is up.
                timer.advanceClock(60_000);
                returned.set(1);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        reaper.start();
        timer.close();
        reaper.join(30_000);
        assertFalse(reaper.isAlive(), "advanceClock still waiting after close");
        assertEquals(List.of(), failures);
        assertEquals(1, returned.get());
        assertEquals(0, timer.size());
        assertThrows(IllegalStateException.class, () -> timer.add(new Recorder(5)));
        clock.set(1_000);
        assertFalse(timer.advanceClock(0));
        assertEquals(0, pending.runs.get());
        timer.close();
    }

    @Test
    void aTaskCanRescheduleItselfFromItsRun() throws Exception {
        try (Timer timer = new Timer("t", clock::get)) {
            AtomicInteger runs = new AtomicInteger();
            TimerTask periodic = new TimerTask(5) {
                @Override
                public void run() {
                    if (runs.incrementAndGet() < 4) {
                        timer.add(this);
                    }
                }
            };
            timer.add(periodic);
            for (long t = 1; t <= 40; t++) {
                moveTo(timer, t);
                assertEquals((int) Math.min(4, t / 5), runs.get(), "at " + t);
            }
        }
    }
}
