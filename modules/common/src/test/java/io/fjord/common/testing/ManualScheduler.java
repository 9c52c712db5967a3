package io.fjord.common.testing;

import io.fjord.common.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler whose tasks run only when the test says: every task due by a {@link MockTime}
 * ({@link #runDue()}), or every task of one name whatever its time ({@link #run(String)}). Tasks
 * run on the calling thread; one-shot tasks are dropped once run, periodic ones move to their
 * next period.
 */
public final class ManualScheduler implements Scheduler {

    private final MockTime time;
    private final List<Task> tasks = new ArrayList<>();

    public ManualScheduler(MockTime time) {
        this.time = time;
    }

    private static final class Task {
        final String name;
        final Runnable runnable;
        long dueMs;
        final long periodMs;
        volatile boolean cancelled;

        Task(String name, Runnable runnable, long dueMs, long periodMs) {
            this.name = name;
            this.runnable = runnable;
            this.dueMs = dueMs;
            this.periodMs = periodMs;
        }
    }

    @Override
    public synchronized Cancellable schedule(String name, Runnable task, long delayMs, long periodMs) {
        Task t = new Task(name, task, time.milliseconds() + delayMs, periodMs);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs every task due at the current mock time, in schedule order; returns how many ran. */
    public int runDue() {
        int ran = 0;
        while (true) {
            Task next = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (!t.cancelled && t.dueMs <= time.milliseconds()) {
                        next = t;
                        break;
                    }
                }
                if (next == null) {
                    return ran;
                }
                advance(next);
            }
            next.runnable.run();
            ran++;
        }
    }

    /** Runs every live task named {@code name} once, due or not; returns how many ran. */
    public int run(String name) {
        List<Task> named = new ArrayList<>();
        synchronized (this) {
            for (Task t : List.copyOf(tasks)) {
                if (!t.cancelled && t.name.equals(name)) {
                    named.add(t);
                    advance(t);
                }
            }
        }
        named.forEach(t -> t.runnable.run());
        return named.size();
    }

    private void advance(Task t) {
        if (t.periodMs > 0) {
            t.dueMs += t.periodMs;
        } else {
            tasks.remove(t);
        }
    }

    /** Names of the tasks waiting, for assertions. */
    public synchronized List<String> pending() {
        List<String> names = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled) {
                names.add(t.name);
            }
        }
        return names;
    }
}
