package io.fjord.log;

import java.util.ArrayList;
import java.util.List;

/** A scheduler whose tasks run only when the test calls {@link #runDue()}, by a {@link MockTime}. */
final class ManualScheduler implements Scheduler {

    private final MockTime time;
    private final List<Task> tasks = new ArrayList<>();

    ManualScheduler(MockTime time) {
        this.time = time;
    }

    private static final class Task {
        final String name;
        final Runnable runnable;
        long dueMs;
        final long periodMs;
        boolean cancelled;

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
    int runDue() {
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
                if (next.periodMs > 0) {
                    next.dueMs += next.periodMs;
                } else {
                    tasks.remove(next);
                }
            }
            next.runnable.run();
            ran++;
        }
    }

    /** Names of the tasks waiting, for assertions. */
    synchronized List<String> pending() {
        List<String> names = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled) {
                names.add(t.name);
            }
        }
        return names;
    }
}
