package io.fjord.tooltests;

import io.fjord.broker.Broker;
import io.fjord.broker.BrokerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kafka-configs --entity-type brokers} (Kafka's own tool, in its own process) against a
 * Fjord broker: {@code --alter --add-config} and {@code --delete-config} for a broker and with
 * {@code --entity-default}, {@code --describe} of both with and without {@code --all}, and a
 * read-only setting refused with Kafka's message. Its own broker, since it changes broker settings.
 */
class KafkaConfigsBrokersTest {

    @TempDir
    static Path dir;

    private static Broker broker;
    private static String bootstrap;

    @BeforeAll
    static void start() throws Exception {
        broker = new Broker(BrokerConfig.of(Map.of(
                "node.id", "1",
                "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", dir.resolve("data").toString(),
                "offsets.topic.replication.factor", "1",
                "num.io.threads", "4")));
        broker.start();
        bootstrap = "127.0.0.1:" + broker.boundPort();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.shutdown();
    }

    private static KafkaTool.Result configs(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--bootstrap-server";
        full[1] = bootstrap;
        System.arraycopy(args, 0, full, 2, args.length);
        return KafkaTool.run(dir, KafkaTool.CONFIGS, full);
    }

    private static List<String> succeeded(String... args) throws Exception {
        KafkaTool.Result result = configs(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + " failed:\n" + result.out() + result.err());
        return result.lines();
    }

    @Test
    void kafkaConfigsAltersAndDescribesTheBrokerAndTheClusterDefault() throws Exception {
        assertEquals(List.of("Completed updating default config for brokers in the cluster."), succeeded("--alter",
                "--entity-type", "brokers", "--entity-default", "--add-config", "log.cleaner.threads=2,log.retention.ms=5000"));
        assertEquals(List.of("Completed updating config for broker 1."), succeeded("--alter",
                "--entity-type", "brokers", "--entity-name", "1", "--add-config", "num.io.threads=6"));

        assertEquals(List.of("Default configs for brokers in the cluster are:",
                "  log.cleaner.threads=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.cleaner.threads=2}",
                "  log.retention.ms=5000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5000}"),
                succeeded("--describe", "--entity-type", "brokers", "--entity-default"));

        List<String> all = succeeded("--describe", "--all", "--entity-type", "brokers", "--entity-name", "1");
        assertEquals("All configs for broker 1 are:", all.get(0));
        assertTrue(all.contains("  num.io.threads=6 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:num.io.threads=6, "
                + "STATIC_BROKER_CONFIG:num.io.threads=4, DEFAULT_CONFIG:num.io.threads=8}"), String.join("\n", all));
        assertTrue(all.contains("  log.cleaner.threads=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:"
                + "log.cleaner.threads=2, DEFAULT_CONFIG:log.cleaner.threads=1}"), String.join("\n", all));
        assertTrue(all.contains("  log.retention.ms=5000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:"
                + "log.retention.ms=5000, DEFAULT_CONFIG:log.retention.hours=168}"), String.join("\n", all));
        assertTrue(all.contains("  num.partitions=1 sensitive=false synonyms={DEFAULT_CONFIG:num.partitions=1}"));

        KafkaTool.Result readOnly = configs("--alter", "--entity-type", "brokers", "--entity-name", "1",
                "--add-config", "num.partitions=3");
        assertEquals(1, readOnly.exitCode());
        assertTrue(readOnly.err().contains("InvalidRequestException: Cannot update these configs dynamically: Set(num.partitions)"),
                readOnly.err());

        assertEquals(List.of("Completed updating config for broker 1."), succeeded("--alter",
                "--entity-type", "brokers", "--entity-name", "1", "--delete-config", "num.io.threads"));
        assertEquals(List.of("Dynamic configs for broker 1 are:"),
                succeeded("--describe", "--entity-type", "brokers", "--entity-name", "1"));
    }
}
