package io.fjord.common;

/**
 * Runs the log's background work: delayed file deletion, retention, flush and checkpoint jobs.
 * The log never starts threads of its own; the owner decides how many and when, and tests use
 * a scheduler that runs tasks when they say so.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once after {@code delayMs} and then, if {@code periodMs} is positive,
     * every {@code periodMs}. A task that throws is logged by the implementation and, when
     * periodic, keeps its schedule.
     *
     * @return a handle that cancels future runs
     */
    Cancellable schedule(String name, Runnable task, long delayMs, long periodMs);

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }
}
