package io.fjord.controller;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers take snapshots while writers create and delete topics; every snapshot must be a state
 * some commit produced, complete and self-consistent.
 */
class ConcurrentSnapshotTest {

    private static final int WRITERS = 2;
    private static final int READERS = 3;
    private static final int TOPICS_PER_WRITER = 60;

    /** The partition count a topic gets is encoded in its name, so readers can check it. */
    private static int partitionsFor(String name) {
        return Integer.parseInt(name.substring(name.lastIndexOf('p') + 1));
    }

    @Test
    void readersSeeConsistentSnapshots(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try (SingleNodeMetadataStore store = SingleNodeMetadataStore.open(ControllerConfig.from(
                Map.of("node.id", "0", "log.dirs", dir.toString())))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> {
                    long snapshots = 0;
                    long lastEpoch = -1;
                    boolean more = true;
                    while (more) {
                        // Read the flag first: the snapshot after it may still be mid-run or final.
                        more = writing.get();
                        MetadataImage image = store.image();
                        check(image);
                        assertTrue(image.epoch() >= lastEpoch, "epochs never go back for one reader");
                        lastEpoch = image.epoch();
                        snapshots++;
                    }
                    return snapshots;
                }));
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < TOPICS_PER_WRITER; i++) {
                        String name = "w" + writer + "-t" + i + "-p" + (1 + i % 4);
                        store.createTopic(NewTopic.of(name, partitionsFor(name), 1), false);
                        if (i % 3 == 2) {
                            store.deleteTopic(name);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<Long> reader : readers) {
                assertTrue(reader.get(2, TimeUnit.MINUTES) > 0);
            }
            int deletedPerWriter = TOPICS_PER_WRITER / 3;
            assertEquals(WRITERS * (TOPICS_PER_WRITER + deletedPerWriter), store.image().epoch(),
                    "every change committed exactly once");
            assertEquals(WRITERS * (TOPICS_PER_WRITER - deletedPerWriter), store.image().topicCount());
            check(store.image());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void check(MetadataImage image) {
        assertEquals(image.topicsByName().size(), image.topicsById().size());
        for (Map.Entry<String, TopicImage> e : image.topicsByName().entrySet()) {
            TopicImage topic = e.getValue();
            assertEquals(e.getKey(), topic.name());
            UUID id = topic.id();
            assertTrue(image.topic(id) == topic, "both indexes hold the same topic object");
            assertEquals(partitionsFor(topic.name()), topic.partitionCount(), topic.name());
            for (PartitionImage partition : topic.partitions()) {
                assertEquals(List.of(0), partition.isr());
            }
        }
    }
}
