package io.fjord.clienttests;

import io.fjord.broker.testing.BrokerFixture;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Fjord's producer against a Fjord broker. */
class FjordBrokerProducerTest extends ProducerContract {

    @TempDir
    static Path dataDir;
    private BrokerFixture broker;

    @Override
    protected int startBroker(int advertisedPort) throws Exception {
        broker = BrokerFixture.start(dataDir, Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort));
        return broker.broker().boundPort();
    }

    @Override
    protected void stopBroker() throws Exception {
        broker.close();
    }
}
