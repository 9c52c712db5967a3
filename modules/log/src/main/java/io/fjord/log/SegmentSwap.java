package io.fjord.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cleaner's swap of a cleaned segment for the consecutive inactive segments it replaces, in
 * the order the loader's recovery relies on: the cleaned files are renamed from {@code .cleaned}
 * to {@code .swap}; the new segment list is published; the old segments are retired through
 * {@link SegmentDeletion}; the {@code .swap} suffix is dropped.
 *
 * <p>Invariant: a crash before every cleaned file is {@code .swap} leaves the old log, one after
 * leaves the new one (see {@link LogLoader}); offsets never change, so a reader holding either
 * list reads the same records or their cleaned form. Runs under the partition's lock.
 */
final class SegmentSwap {

    /** The steps of a swap, for tests that stop a cleaning between two of them. */
    enum Step { CLEANED_WRITTEN, RENAMED_TO_SWAP, OLD_SEGMENTS_DELETED, SWAPPED_IN }

    /** Called after each step of a swap; a test's listener may throw to leave the files as a crash would. */
    interface Listener {
        Listener NONE = step -> { };

        void after(Step step) throws IOException;
    }

    private SegmentSwap() {
    }

    /**
     * Swaps {@code cleaned} (complete, fsynced, files ending {@code .cleaned}) in for
     * {@code replaced}, all of which are in {@code current}.
     *
     * @param publish stores the new segment list
     */
    static void swap(Path dir, LogSegments current, LogSegment cleaned, List<LogSegment> replaced, Listener listener,
                     Consumer<LogSegments> publish, SegmentDeletion deletion) throws IOException {
        listener.after(Step.CLEANED_WRITTEN);
        cleaned.changeFileSuffixes(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
        OffsetCheckpointFile.fsyncDirectory(dir);
        listener.after(Step.RENAMED_TO_SWAP);
        publish.accept(current.replace(replaced, cleaned));
        for (LogSegment old : replaced) {
            deletion.deleteLater(old);
        }
        listener.after(Step.OLD_SEGMENTS_DELETED);
        cleaned.changeFileSuffixes(LogSegment.SWAP_SUFFIX, "");
        OffsetCheckpointFile.fsyncDirectory(dir);
        listener.after(Step.SWAPPED_IN);
    }
}
