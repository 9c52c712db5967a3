package io.fjord.controller;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The snapshot types refuse states the store must never publish. */
class ImageInvariantsTest {

    private static final List<PartitionImage> ONE = List.of(new PartitionImage(0, 1, 0, 0, List.of(1), List.of(1)));

    @Test
    void zeroUuidIsNeverATopicId() {
        assertThrows(IllegalArgumentException.class, () -> new TopicImage("t", new UUID(0, 0), false, ONE, Map.of()));
    }

    @Test
    void partitionsAreNumberedByPosition() {
        List<PartitionImage> skipped = List.of(new PartitionImage(1, 1, 0, 0, List.of(1), List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new TopicImage("t", UUID.randomUUID(), false, skipped, Map.of()));
    }

    @Test
    void leaderMustBeInSyncAndIsrWithinReplicas() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionImage(0, 2, 0, 0, List.of(1), List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new PartitionImage(0, 1, 0, 0, List.of(1), List.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new PartitionImage(0, -1, 0, 0, List.of(), List.of()));
        assertEquals(-1, new PartitionImage(0, -1, 3, 4, List.of(1), List.of()).leader());
    }

    @Test
    void duplicateNamesOrIdsAreRefused() {
        UUID id = UUID.randomUUID();
        TopicImage a = new TopicImage("a", id, false, ONE, Map.of());
        assertThrows(IllegalArgumentException.class, () -> MetadataImage.of("c", 1, 0,
                List.of(a, new TopicImage("b", id, false, ONE, Map.of()))));
        assertThrows(IllegalArgumentException.class, () -> MetadataImage.of("c", 1, 0,
                List.of(a, new TopicImage("a", UUID.randomUUID(), false, ONE, Map.of()))));
        MetadataImage image = MetadataImage.of("c", 1, 0, List.of(a));
        assertEquals(a, image.topic(id));
        assertNull(image.topic("b"));
        assertNull(a.partition(1));
    }
}
