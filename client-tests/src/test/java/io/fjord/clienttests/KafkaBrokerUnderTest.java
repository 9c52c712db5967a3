package io.fjord.clienttests;

import io.fjord.kafkatesting.KafkaBroker;

import java.nio.file.Path;
import java.util.Map;

/** An Apache Kafka broker (the kafka-fixture's version) in its own JVM. */
final class KafkaBrokerUnderTest implements BrokerUnderTest {

    private KafkaBroker broker;

    KafkaBrokerUnderTest(Path dir, Map<String, String> overrides) throws Exception {
        this.broker = KafkaBroker.start(dir, overrides);
    }

    @Override
    public String bootstrap() {
        return broker.bootstrap();
    }

    @Override
    public void restart() throws Exception {
        broker = broker.restart();
    }

    @Override
    public void close() throws Exception {
        broker.close();
    }
}
