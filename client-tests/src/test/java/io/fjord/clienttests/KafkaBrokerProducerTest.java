package io.fjord.clienttests;

import io.fjord.kafkatesting.KafkaBroker;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Fjord's producer against an Apache Kafka broker (the version the kafka-fixture runs). */
class KafkaBrokerProducerTest extends ProducerContract {

    @TempDir
    static Path dir;
    private KafkaBroker broker;

    @Override
    protected int startBroker(int advertisedPort) throws Exception {
        broker = KafkaBroker.start(dir, Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort));
        return broker.port();
    }

    @Override
    protected void stopBroker() throws Exception {
        broker.close();
    }
}
