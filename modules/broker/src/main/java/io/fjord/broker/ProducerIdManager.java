package io.fjord.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Hands out producer ids for idempotent producers (InitProducerId without a transactional id),
 * never the same id twice across restarts.
 *
 * <p>On disk: the file {@value #FILE_NAME} in the metadata log dir holds one decimal number, the
 * end (exclusive) of the block of ids reserved so far. A block of {@value #BLOCK_SIZE} ids is
 * reserved, written and fsynced before its first id is handed out, so after any stop the next
 * start begins above every id ever given. Ids not handed out before a stop are skipped.
 *
 * <p>In a cluster the blocks come from the coordination store instead (Kafka's
 * {@code /latest_producer_id_block}), so no two brokers ever hand out the same id.
 */
final class ProducerIdManager {

    static final String FILE_NAME = "fjord-producer-id-block";
    static final long BLOCK_SIZE = 1000;

    /** Where blocks come from in a cluster: the first id of a new block of {@value #BLOCK_SIZE} ids. */
    interface BlockSource {
        long nextBlockStart();
    }

    private final Path file;
    private final BlockSource clusterBlocks;
    private long nextId;
    private long blockEnd;

    /** A cluster member's manager, taking blocks from {@code clusterBlocks}. */
    ProducerIdManager(BlockSource clusterBlocks) {
        this.file = null;
        this.clusterBlocks = clusterBlocks;
    }

    ProducerIdManager(Path dir) throws IOException {
        this.clusterBlocks = null;
        this.file = dir.resolve(FILE_NAME);
        long end = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            try {
                end = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException(file + " does not hold a producer id: " + text, e);
            }
            if (end < 0) {
                throw new IOException(file + " holds a negative producer id: " + end);
            }
        }
        this.nextId = end;
        this.blockEnd = end;
    }

    /** The next unused producer id. */
    synchronized long nextProducerId() throws IOException {
        if (nextId >= blockEnd && clusterBlocks != null) {
            nextId = clusterBlocks.nextBlockStart();
            blockEnd = nextId + BLOCK_SIZE;
        } else if (nextId >= blockEnd) {
            long newEnd = blockEnd + BLOCK_SIZE;
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, Long.toString(newEnd), StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            blockEnd = newEnd;
        }
        return nextId++;
    }
}
