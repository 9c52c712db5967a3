package io.fjord.perf;

import io.fjord.timer.Timer;
import io.fjord.timer.TimerTask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * What a time-out costs with 100,000 others pending: inserting one, cancelling one (the common
 * fate of a delayed fetch or produce, which completes before its time-out) and expiring one.
 * Fjord's timing wheel against a {@link DelayQueue} of the tasks themselves, on the same
 * hand-moved clock, so no real time passes and nothing expires unless the benchmark says so.
 *
 * <p>Insert and cancel run in batches of {@value #BATCH} on top of the {@value #PENDING} pending
 * tasks; an untimed per-invocation step undoes (or prepares) the batch so every batch meets the
 * same 100,000. Expire advances the clock 1 ms at a time over tasks spread 10 to a millisecond;
 * each expired task schedules itself again, so its figure is expiry plus one re-insert.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimingWheelBenchmark {

    static final int PENDING = 100_000;
    static final int BATCH = 1_000;
    static final int EXPIRING_PER_MS = 10;
    static final long EXPIRY_WINDOW_MS = PENDING / EXPIRING_PER_MS;
    static final int MAX_DELAY_MS = 100_000;

    /** The two schedulers behind one small interface, so both pay the same call overhead. */
    interface Scheduler {
        void add(int slot, long delayMs);

        void cancel(int slot);

        /** Moves the clock to {@code nowMs} and runs what is due; returns how many ran. */
        int advanceTo(long nowMs) throws InterruptedException;

        void close();
    }

    static Scheduler create(String impl, int slots, boolean reschedule) {
        return impl.equals("timingWheel") ? new WheelScheduler(slots, reschedule) : new QueueScheduler(slots, reschedule);
    }

    static final class WheelScheduler implements Scheduler {
        private long now;
        private final Timer timer = new Timer("benchmark", () -> now);
        private final WheelTask[] tasks;
        private final boolean reschedule;
        private int ran;

        WheelScheduler(int slots, boolean reschedule) {
            this.tasks = new WheelTask[slots];
            this.reschedule = reschedule;
        }

        final class WheelTask extends TimerTask {
            WheelTask(long delayMs) {
                super(delayMs);
            }

            @Override
            public void run() {
                ran++;
                if (reschedule) {
                    timer.add(this);
                }
            }
        }

        @Override
        public void add(int slot, long delayMs) {
            WheelTask task = new WheelTask(delayMs);
            tasks[slot] = task;
            timer.add(task);
        }

        @Override
        public void cancel(int slot) {
            tasks[slot].cancel();
        }

        @Override
        public int advanceTo(long nowMs) throws InterruptedException {
            now = nowMs;
            ran = 0;
            // One call expires every bucket due by now, as one turn of a reaper would.
            timer.advanceClock(0);
            return ran;
        }

        @Override
        public void close() {
            timer.close();
        }
    }

    static final class QueueScheduler implements Scheduler {
        private long now;
        private final DelayQueue<QueueTask> queue = new DelayQueue<>();
        private final QueueTask[] tasks;
        private final boolean reschedule;

        QueueScheduler(int slots, boolean reschedule) {
            this.tasks = new QueueTask[slots];
            this.reschedule = reschedule;
        }

        final class QueueTask implements Delayed {
            final long delayMs;
            long deadlineMs;

            QueueTask(long delayMs) {
                this.delayMs = delayMs;
                this.deadlineMs = now + delayMs;
            }

            @Override
            public long getDelay(TimeUnit unit) {
                return unit.convert(deadlineMs - now, TimeUnit.MILLISECONDS);
            }

            @Override
            public int compareTo(Delayed other) {
                return Long.compare(deadlineMs, ((QueueTask) other).deadlineMs);
            }
        }

        @Override
        public void add(int slot, long delayMs) {
            QueueTask task = new QueueTask(delayMs);
            tasks[slot] = task;
            queue.offer(task);
        }

        @Override
        public void cancel(int slot) {
            // What cancelling costs in a DelayQueue: remove(Object) scans for the task.
            queue.remove(tasks[slot]);
        }

        @Override
        public int advanceTo(long nowMs) {
            now = nowMs;
            int ran = 0;
            QueueTask task;
            while ((task = queue.poll()) != null) {
                ran++;
                if (reschedule) {
                    task.deadlineMs = now + task.delayMs;
                    queue.offer(task);
                }
            }
            return ran;
        }

        @Override
        public void close() {
            queue.clear();
        }
    }

    /** Random delays up to 100 s, the same sequence for both schedulers. */
    static long[] delays(int count, long seed) {
        Random random = new Random(seed);
        long[] delays = new long[count];
        for (int i = 0; i < count; i++) {
            delays[i] = 1 + random.nextInt(MAX_DELAY_MS);
        }
        return delays;
    }

    @State(Scope.Thread)
    public static class InsertState {
        @Param({"timingWheel", "delayQueue"})
        String impl;
        Scheduler scheduler;
        long[] delays;
        boolean batchPending;

        @Setup(Level.Trial)
        public void fill() {
            scheduler = create(impl, PENDING + BATCH, false);
            long[] initial = delays(PENDING, 1);
            for (int i = 0; i < PENDING; i++) {
                scheduler.add(i, initial[i]);
            }
            delays = delays(BATCH, 2);
        }

        /** Takes out the previous batch, untimed, so the next one meets 100,000 pending again. */
        @Setup(Level.Invocation)
        public void undoBatch() {
            if (batchPending) {
                for (int j = 0; j < BATCH; j++) {
                    scheduler.cancel(PENDING + j);
                }
                batchPending = false;
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            scheduler.close();
        }
    }

    @State(Scope.Thread)
    public static class CancelState {
        @Param({"timingWheel", "delayQueue"})
        String impl;
        Scheduler scheduler;
        long[] delays;

        @Setup(Level.Trial)
        public void fill() {
            scheduler = create(impl, PENDING + BATCH, false);
            long[] initial = delays(PENDING, 1);
            for (int i = 0; i < PENDING; i++) {
                scheduler.add(i, initial[i]);
            }
            delays = delays(BATCH, 2);
        }

        /** Adds the batch the next invocation cancels, untimed. */
        @Setup(Level.Invocation)
        public void prepareBatch() {
            for (int j = 0; j < BATCH; j++) {
                scheduler.add(PENDING + j, delays[j]);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            scheduler.close();
        }
    }

    @State(Scope.Thread)
    public static class ExpireState {
        @Param({"timingWheel", "delayQueue"})
        String impl;
        Scheduler scheduler;
        long now;

        /**
         * Ten tasks added per millisecond of clock over 10 s, each with a 10 s delay: from then on
         * ten are due every millisecond, and each reschedules itself 10 s on when it runs.
         */
        @Setup(Level.Trial)
        public void fill() throws InterruptedException {
            scheduler = create(impl, PENDING, true);
            for (int i = 0; i < PENDING; i++) {
                now = i / EXPIRING_PER_MS;
                scheduler.advanceTo(now);
                scheduler.add(i, EXPIRY_WINDOW_MS);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            scheduler.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void insert(InsertState state) {
        for (int j = 0; j < BATCH; j++) {
            state.scheduler.add(PENDING + j, state.delays[j]);
        }
        state.batchPending = true;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void cancel(CancelState state) {
        for (int j = 0; j < BATCH; j++) {
            state.scheduler.cancel(PENDING + j);
        }
    }

    @Benchmark
    @OperationsPerInvocation(EXPIRING_PER_MS)
    public int expire(ExpireState state) throws InterruptedException {
        return state.scheduler.advanceTo(++state.now);
    }
}
