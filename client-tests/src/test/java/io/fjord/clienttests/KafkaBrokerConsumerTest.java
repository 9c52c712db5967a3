package io.fjord.clienttests;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Fjord's consumer, with assigned partitions, against an Apache Kafka broker. */
class KafkaBrokerConsumerTest extends ConsumerContract {

    @TempDir
    static Path dir;

    @Override
    protected BrokerUnderTest startBroker() throws Exception {
        return new KafkaBrokerUnderTest(dir, Map.of());
    }
}
