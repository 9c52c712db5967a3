package io.fjord.timer;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request that waits in a {@link Purgatory} until it can complete (enough bytes to fetch, enough
 * replicas caught up, every member joined) or until its delay runs out.
 *
 * <p>Completion happens exactly once. Who may complete:
 * <ul>
 *   <li>{@link #tryComplete()}, called by the purgatory when the operation is parked and whenever
 *       one of its keys is checked; it calls {@link #forceComplete()} once the condition holds;</li>
 *   <li>the timer, when the delay runs out: {@link #onExpiration()} and then
 *       {@link #onComplete()};</li>
 *   <li>any other code that calls {@link #forceComplete()} (a partition going away, shutdown).</li>
 * </ul>
 * The only decision point is the compare-and-set of {@code completed}: the one caller that moves
 * it from false to true runs the callbacks; every other caller, on any thread, sees false returned
 * and does nothing. The winner also cancels the timer task, so the entry leaves the wheel at once.
 *
 * <p>What is published to whom: {@link #tryComplete()}, the expiry callbacks and the purgatory's
 * checks all run under this operation's lock, so state a subclass writes in {@code tryComplete()}
 * is visible to the later {@code onExpiration()}/{@code onComplete()} on another thread, and no
 * two {@code tryComplete()} calls overlap. The CAS (a volatile write) orders everything the winner
 * did before it before any thread that reads {@link #isCompleted()} as true.
 *
 * <p>Callbacks must not block and must not call back into the purgatory while holding locks that
 * a {@code checkAndComplete} caller might hold; the purgatory takes the operation's lock and then,
 * briefly, a watch-list shard lock, never the other way round.
 */
public abstract class DelayedOperation extends TimerTask {

    private final AtomicBoolean completed = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();

    /** @param delayMs how long the operation may wait before it expires, in milliseconds */
    protected DelayedOperation(long delayMs) {
        super(delayMs);
    }

    /**
     * Checks whether the operation can complete now and, if so, completes it with
     * {@link #forceComplete()}. Called under the operation's lock, never concurrently with itself.
     *
     * @return true if this call completed the operation (what {@code forceComplete()} returned)
     */
    protected abstract boolean tryComplete();

    /** The completion work (build and send the response). Runs exactly once, on the completing thread. */
    protected abstract void onComplete();

    /** Runs once, just before {@link #onComplete()}, when the operation completes by expiring. */
    protected abstract void onExpiration();

    /**
     * Completes the operation now unless it is already completed, whatever {@code tryComplete()}
     * would say: cancels its time-out and runs {@link #onComplete()}. Safe from any thread; of
     * racing callers exactly one wins.
     *
     * @return true if this call completed the operation
     */
    public final boolean forceComplete() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        cancel();
        onComplete();
        return true;
    }

    /** Whether the operation has completed (by any path). */
    public final boolean isCompleted() {
        return completed.get();
    }

    /**
     * The expiry, run by the timer when the delay has passed: unless the operation already
     * completed, {@link #onExpiration()} and then {@link #onComplete()}, once.
     */
    @Override
    public final void run() {
        lock.lock();
        try {
            if (completed.compareAndSet(false, true)) {
                onExpiration();
                onComplete();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link #tryComplete()} under the lock, skipped when already completed. */
    final boolean safeTryComplete() {
        lock.lock();
        try {
            return !isCompleted() && tryComplete();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #tryComplete()}; if it fails, {@code watch} and then {@code tryComplete()} once more,
     * all under the lock. The second try closes the window in which the condition changed and its
     * {@code checkAndComplete} ran before the operation was on the watch lists.
     */
    final boolean safeTryCompleteOrElse(Runnable watch) {
        lock.lock();
        try {
            if (tryComplete()) {
                return true;
            }
            watch.run();
            return tryComplete();
        } finally {
            lock.unlock();
        }
    }
}
