package io.fjord.log;

import io.fjord.api.TopicPartition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of a log dir's offset checkpoint files ({@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint}, {@code replication-offset-checkpoint}) in Kafka's text
 * format: a version line ({@code 0}), a line with the entry count, then one
 * {@code topic partition offset} line per partition, all separated by single spaces and
 * {@code \n}.
 *
 * <p>Invariant: the file is always either the complete old version or the complete new one. A
 * write goes to {@code <name>.tmp}, is fsynced, renamed over the file atomically and the
 * directory is fsynced; a crash before the rename leaves the old file and a stray temp file,
 * which the next write replaces.
 */
public final class OffsetCheckpointFile {

    /** Kafka's recovery-point checkpoint: offsets below it are known to be flushed. */
    public static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    /** Kafka's log-start-offset checkpoint. */
    public static final String LOG_START_OFFSET = "log-start-offset-checkpoint";
    /** Kafka's high-watermark checkpoint. */
    public static final String HIGH_WATERMARK = "replication-offset-checkpoint";

    private static final int VERSION = 0;

    private final Path file;

    public OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    /**
     * Replaces the file's content with {@code offsets}, atomically and durably.
     */
    public void write(Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder(32 + offsets.size() * 32);
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            text.append(e.getKey().topic()).append(' ').append(e.getKey().partition()).append(' ')
                    .append(e.getValue()).append('\n');
        }
        writeDurably(file, text);
    }

    /**
     * The offsets in the file; empty if it does not exist.
     *
     * @throws IOException if the file is malformed (wrong version, count or line shape)
     */
    public Map<TopicPartition, Long> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new HashMap<>();
        }
        if (lines.size() < 2) {
            throw malformed("missing version or count line");
        }
        int version = parseInt(lines.get(0).trim());
        if (version != VERSION) {
            throw malformed("unsupported version " + version);
        }
        int count = parseInt(lines.get(1).trim());
        if (count < 0 || count != lines.size() - 2) {
            throw malformed("count " + count + " does not match " + (lines.size() - 2) + " entry lines");
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (int i = 2; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            if (parts.length != 3) {
                throw malformed("line " + (i + 1) + " is not 'topic partition offset'");
            }
            int partition = parseInt(parts[1]);
            if (partition < 0) {
                throw malformed("negative partition on line " + (i + 1));
            }
            try {
                offsets.put(new TopicPartition(parts[0], partition), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                throw malformed("bad offset on line " + (i + 1));
            }
        }
        return offsets;
    }

    private int parseInt(String s) throws IOException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw malformed("not a number: '" + s + "'");
        }
    }

    private IOException malformed(String why) {
        return new IOException("malformed checkpoint file " + file + ": " + why);
    }

    /**
     * Replaces {@code file} with {@code text} so that a crash leaves either the old content or the
     * new one: write a temp file beside it, fsync it, rename it over the file, fsync the folder.
     */
    static void writeDurably(Path file, CharSequence text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        atomicReplace(temp, file);
    }

    /**
     * Renames {@code source} over {@code target} atomically and fsyncs the directory so that
     * the rename itself survives a crash.
     */
    static void atomicReplace(Path source, Path target) throws IOException {
        rename(source, target);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Renames {@code source} over {@code target} atomically where the file system can. */
    static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** fsyncs a file's data if it still exists. */
    static void fsyncIfExists(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // Deleted since (truncation, retention, a deleted log): nothing left to make durable.
        }
    }

    /** Makes a directory's entries (creations, renames, deletions) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
