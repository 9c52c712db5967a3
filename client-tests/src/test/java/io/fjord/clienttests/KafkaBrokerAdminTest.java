package io.fjord.clienttests;

import io.fjord.kafkatesting.KafkaBroker;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Fjord's admin client against an Apache Kafka broker (the version the kafka-fixture runs). */
class KafkaBrokerAdminTest extends AdminContract {

    @TempDir
    static Path dir;
    private KafkaBroker broker;

    @Override
    protected int startBroker() throws Exception {
        broker = KafkaBroker.start(dir, Map.of());
        return broker.port();
    }

    @Override
    protected void stopBroker() throws Exception {
        broker.close();
    }
}
