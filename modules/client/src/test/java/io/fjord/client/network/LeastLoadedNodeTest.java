package io.fjord.client.network;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice of a broker for questions any broker answers, when brokers fail and when all the known ones are gone. */
class LeastLoadedNodeTest {

    private final NetworkClient client = new NetworkClient(NetworkClientConfig.defaults("least-loaded-test"));

    @AfterEach
    void close() {
        client.close(Duration.ofSeconds(1));
    }

    @Test
    void failuresTurnToTheOtherBrokersThenToTheBootstrapServersUntilOneAnswers() {
        LeastLoadedNode chooser = new LeastLoadedNode(client, new int[] {-1, -2});
        assertEquals(-1, chooser.choose(Set.of()), "no metadata yet: a bootstrap server");
        List<Integer> known = List.of(1, 2);
        assertEquals(1, chooser.choose(known));
        chooser.failed();
        assertEquals(2, chooser.choose(known), "a failed broker is not asked again next");
        chooser.failed();
        int first = chooser.choose(known);
        chooser.failed();
        int second = chooser.choose(known);
        assertEquals(Set.of(-1, -2), Set.of(first, second),
                "every known broker failed in a row: the bootstrap servers are asked in turn");
        chooser.succeeded();
        assertTrue(Set.of(1, 2).contains(chooser.choose(known)), "an answer makes the known brokers worth asking");
    }
}
