package io.fjord.controller;

import io.fjord.common.errors.Errors;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic name rules, with Kafka's {@code Topic} class as the oracle. */
class TopicNamesTest {

    private static final String ALPHABET = "abcXYZ019._-/ é:*\u0000";

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of("", ".", "..", "...", "a", "a.b", "a_b", "-", "_", "__consumer_offsets",
                "x".repeat(249), "x".repeat(250), "topic name", "tópico", "a/b", "a:b", "valid-Name_1.2"));
        Random random = new Random(20261122L);
        for (int i = 0; i < 2000; i++) {
            int length = random.nextInt(8);
            StringBuilder name = new StringBuilder();
            for (int c = 0; c < length; c++) {
                name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            names.add(name.toString());
        }
        return names;
    }

    @Test
    void validityAndMessagesMatchKafka() {
        for (String name : names()) {
            String kafkaMessage = null;
            try {
                Topic.validate(name);
            } catch (InvalidTopicException e) {
                kafkaMessage = e.getMessage();
            }
            assertEquals(Topic.isValid(name), TopicNames.isValid(name), name);
            if (kafkaMessage == null) {
                TopicNames.validate(name);
            } else {
                MetadataException e = assertThrows(MetadataException.class, () -> TopicNames.validate(name), name);
                assertEquals(Errors.INVALID_TOPIC_EXCEPTION, e.error());
                assertEquals(kafkaMessage, e.getMessage(), name);
            }
        }
    }

    @Test
    void collisionsMatchKafka() {
        List<String> names = List.of("a.b", "a_b", "a-b", "ab", "a..b", "a__b", "a._b", "a.b.c", "a_b_c");
        for (String a : names) {
            for (String b : names) {
                assertEquals(Topic.hasCollision(a, b), TopicNames.collide(a, b), a + " vs " + b);
            }
        }
    }

    @Test
    void internalTopicsMatchKafka() {
        for (String name : List.of("__consumer_offsets", "__transaction_state", "__share_group_state",
                "__cluster_metadata", "consumer_offsets", "__consumer.offsets")) {
            assertEquals(Topic.isInternal(name), TopicNames.isInternal(name), name);
        }
        assertTrue(TopicNames.isInternal(TopicNames.CONSUMER_OFFSETS));
        assertFalse(TopicNames.isInternal("orders"));
    }
}
