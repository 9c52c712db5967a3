package io.fjord.log;

import io.fjord.common.Scheduler;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Retires segment objects that lock-free readers may still hold: retention, the cleaner's swap
 * and truncation all remove segments through it.
 *
 * <p>Invariant: a retired segment's channel and index mappings stay open for
 * {@code file.delete.delay.ms}, the time a reader is given to finish a read or send a slice;
 * only then are they closed. Its files are renamed at once when they are going away, so a
 * restart never loads them.
 */
final class SegmentDeletion {

    private final Scheduler scheduler;
    private final LongSupplier delayMs;

    /** @param delayMs the current {@code file.delete.delay.ms} (topic configs change) */
    SegmentDeletion(Scheduler scheduler, LongSupplier delayMs) {
        this.scheduler = scheduler;
        this.delayMs = delayMs;
    }

    /** Renames the segment's files to {@code .deleted} now; closes and deletes them later. */
    void deleteLater(LogSegment segment) throws IOException {
        segment.renameToDeleted();
        scheduler.schedule("delete-segment", () -> {
            try {
                segment.closeAndDelete();
            } catch (IOException e) {
                throw LogSegment.storageError("Deleting " + segment + " failed", e);
            }
        }, delayMs.getAsLong(), 0);
    }

    /** Closes the segment's handles later and keeps its files: a new segment object stands for them now. */
    void closeLater(LogSegment segment) {
        scheduler.schedule("close-segment", () -> {
            try {
                segment.closeHandles();
            } catch (IOException e) {
                throw LogSegment.storageError("Closing " + segment + " failed", e);
            }
        }, delayMs.getAsLong(), 0);
    }
}
