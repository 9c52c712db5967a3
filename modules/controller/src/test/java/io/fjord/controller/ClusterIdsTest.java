package io.fjord.controller;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids in Kafka's text form, with Kafka's {@code Uuid} as the oracle. */
class ClusterIdsTest {

    @Test
    void textFormMatchesKafkaBothWays() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            String text = ClusterIds.toString(id);
            assertEquals(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()).toString(), text);
            Uuid kafka = Uuid.fromString(text);
            assertEquals(id, new UUID(kafka.getMostSignificantBits(), kafka.getLeastSignificantBits()));
            assertEquals(id, ClusterIds.fromString(text));
        }
    }

    @Test
    void kafkaGeneratedIdsParse() {
        for (int i = 0; i < 100; i++) {
            Uuid kafka = Uuid.randomUuid();
            UUID parsed = ClusterIds.fromString(kafka.toString());
            assertEquals(kafka.getMostSignificantBits(), parsed.getMostSignificantBits());
            assertEquals(kafka.getLeastSignificantBits(), parsed.getLeastSignificantBits());
        }
    }

    @Test
    void randomIdsAreNeverReservedAndNeverStartWithDash() {
        for (int i = 0; i < 10_000; i++) {
            UUID id = ClusterIds.randomId();
            Uuid kafka = new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
            assertFalse(Uuid.RESERVED.contains(kafka), kafka::toString);
            assertNotEquals('-', ClusterIds.toString(id).charAt(0));
            assertEquals(22, ClusterIds.toString(id).length());
        }
    }

    @Test
    void malformedTextIsRefused() {
        assertFalse(ClusterIds.isValid(""));
        assertFalse(ClusterIds.isValid("tooShort"));
        assertFalse(ClusterIds.isValid("!!!!!!!!!!!!!!!!!!!!!!"));
        assertThrows(IllegalArgumentException.class, () -> ClusterIds.fromString("a".repeat(23)));
        assertTrue(ClusterIds.isValid(Uuid.randomUuid().toString()));
    }
}
