package io.fjord.controller.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that after a crash at any point it holds either the old or the new content,
 * never a mix: write a sibling temp file, fsync it, rename it over the target, fsync the
 * directory so the rename itself is durable.
 */
public final class AtomicFiles {

    /** The suffix of the temp file a write goes through; a leftover one is an unfinished write. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** The temp file a write of {@code target} goes through. */
    public static Path tempFileOf(Path target) {
        return target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    }

    /**
     * Durably replaces {@code target} with {@code content}. The buffer's remaining bytes are
     * written; its position is advanced to its limit.
     */
    public static void write(Path target, ByteBuffer content) throws IOException {
        Path temp = tempFileOf(target);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (content.hasRemaining()) {
                channel.write(content);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Makes a directory's entries (created, renamed or deleted files) durable. Linux and macOS
     * allow opening a directory for reading and forcing it; Windows does not, and there the
     * rename is already durable, so the failure to open is ignored.
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
        try (channel) {
            channel.force(true);
        }
    }
}
