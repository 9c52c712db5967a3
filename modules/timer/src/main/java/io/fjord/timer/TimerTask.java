package io.fjord.timer;

/**
 * Work to run once, when its delay has passed, after {@link Timer#add(TimerTask)}.
 *
 * <p>Invariant: a task is represented in the wheel by at most one live {@link TimerTaskEntry},
 * the one {@link #entry} points to. An entry the task no longer points to is cancelled: the wheel
 * skips it wherever it meets it. That makes {@link #cancel()} O(1) (unlink one entry from its
 * bucket) and makes re-adding a scheduled task a safe move (the new entry replaces the old one,
 * which is unlinked).
 *
 * <p>{@link #run()} is called on the thread that advances the timer (its reaper), or on the
 * adding thread when the delay is already over, never while the timer holds a lock. It should be
 * short and must not block: hand heavy work to another executor.
 *
 * <p>Cancel racing with expiry: a {@code cancel()} that starts after the timer has taken the task
 * out of its bucket to run it may not stop that run. A task that must act at most once decides
 * that with its own state (as {@link DelayedOperation} does with a compare-and-set).
 */
public abstract class TimerTask implements Runnable {

    private final long delayMs;

    // Written under this task's monitor (attach, cancel); read without it by the wheel, hence volatile.
    // Writers first replace it and then unlink the old entry; the wheel first links an entry and then
    // re-reads it (TimingWheel.add). Whichever comes second sees the other, so an entry replaced
    // while the reaper was moving it never stays linked.
    private volatile TimerTaskEntry entry;

    /**
     * @param delayMs milliseconds from {@link Timer#add} to the run, at least 0; delays above
     *                {@link Timer#MAX_DELAY_MS} are clamped to it
     * @throws IllegalArgumentException if {@code delayMs} is negative
     */
    protected TimerTask(long delayMs) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs must be at least 0, was " + delayMs);
        }
        this.delayMs = Math.min(delayMs, Timer.MAX_DELAY_MS);
    }

    /** The delay from {@link Timer#add} to the run, in milliseconds (after clamping). */
    public final long delayMs() {
        return delayMs;
    }

    /**
     * Takes the task out of its timer, if it is in one: O(1). A task that was never added, has
     * already run or was already cancelled is left as it is.
     */
    public final void cancel() {
        synchronized (this) {
            TimerTaskEntry current = entry;
            entry = null;
            if (current != null) {
                current.remove();
            }
        }
    }

    /** Makes {@code next} the live entry of this task; the previous one, if any, is unlinked and so cancelled. */
    final void attach(TimerTaskEntry next) {
        synchronized (this) {
            TimerTaskEntry previous = entry;
            entry = next;
            if (previous != null && previous != next) {
                previous.remove();
            }
        }
    }

    /** Whether {@code candidate} is still the live entry of this task. */
    final boolean isLiveEntry(TimerTaskEntry candidate) {
        return entry == candidate;
    }
}
