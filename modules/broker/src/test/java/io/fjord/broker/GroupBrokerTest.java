package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A broker with the fast group settings of {@link GroupSupport}, an admin, a producer and the
 * group members a test starts (added to {@link #members}), all closed after each test.
 */
abstract class GroupBrokerTest {

    @TempDir
    Path dir;

    BrokerFixture fixture;
    Admin admin;
    KafkaProducer<byte[], byte[]> producer;
    final List<PolledConsumer> members = new ArrayList<>();

    /** Creates the topics the test reads, through {@link #admin}. */
    abstract void createTopics() throws Exception;

    @BeforeEach
    final void startBroker() throws Exception {
        fixture = BrokerFixture.start(dir, GroupSupport.BROKER_SETTINGS);
        admin = fixture.admin();
        producer = fixture.producer(Map.of());
        createTopics();
    }

    @AfterEach
    final void stopBroker() throws Exception {
        for (PolledConsumer member : members) {
            member.close();
        }
        producer.close();
        admin.close();
        fixture.close();
    }
}
