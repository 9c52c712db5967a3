package io.fjord.timer;

/**
 * One scheduling of a {@link TimerTask}: the task, its absolute expiration and its links in the
 * bucket that holds it.
 *
 * <p>Invariant: {@code bucket} is non-null exactly while the entry is linked into that bucket's
 * list; {@code next} and {@code prev} are guarded by that bucket's monitor. The entry is
 * cancelled once its task points to another entry (or none).
 */
final class TimerTaskEntry {

    final TimerTask task;
    final long expirationMs;

    /** The bucket the entry is linked into, or null. Written under the bucket's and the entry's monitors. */
    volatile TimerBucket bucket;
    TimerTaskEntry next;
    TimerTaskEntry prev;

    /** @param task null only for a bucket's sentinel root */
    TimerTaskEntry(TimerTask task, long expirationMs) {
        this.task = task;
        this.expirationMs = expirationMs;
    }

    boolean cancelled() {
        return !task.isLiveEntry(this);
    }

    /**
     * Unlinks the entry from whatever bucket holds it. The loop covers a concurrent move: if the
     * entry changed buckets between the read and the unlink, the unlink did nothing and the new
     * bucket is tried.
     */
    void remove() {
        TimerBucket current = bucket;
        while (current != null) {
            current.remove(this);
            current = bucket;
        }
    }
}
