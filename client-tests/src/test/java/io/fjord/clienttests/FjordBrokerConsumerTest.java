package io.fjord.clienttests;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Fjord's consumer, with assigned partitions, against a Fjord broker. */
class FjordBrokerConsumerTest extends ConsumerContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BrokerUnderTest startBroker() throws Exception {
        return new FjordBrokerUnderTest(dataDir, Map.of());
    }
}
