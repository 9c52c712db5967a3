package io.fjord.clienttests;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Fjord's consumer as a group member against an Apache Kafka broker. */
class KafkaBrokerGroupTest extends GroupContract {

    @TempDir
    static Path dir;

    @Override
    protected BrokerUnderTest startBroker() throws Exception {
        // Groups form at once and accept the short session timeouts the tests use.
        return new KafkaBrokerUnderTest(dir, Map.of("group.min.session.timeout.ms", "1000"));
    }
}
