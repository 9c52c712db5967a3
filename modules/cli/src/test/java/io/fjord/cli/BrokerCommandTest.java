package io.fjord.cli;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fjord broker} as a real process: the ready line, a broken plugin reported without
 * stopping the start, a producer served, a clean stop on SIGTERM.
 */
class BrokerCommandTest {

    private static final Pattern READY = Pattern.compile("Fjord broker 7 ready on 127\\.0\\.0\\.1:(\\d+), data in (.+)");

    @TempDir
    Path dir;

    @Test
    void servesAProducerAndStopsCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("data");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3});
        Path config = Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "node.id=7",
                "listeners=PLAINTEXT://127.0.0.1:9092",
                "log.dirs=" + data,
                "offsets.topic.replication.factor=1",
                "some.unknown.key=1",
                "plugin.path=" + plugins,
                ""));
        // The test JVM's module path holds this module and everything it requires; every module
        // of it is a root, as the launcher makes every module of its image one (the broker is an
        // optional module of the command).
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", System.getProperty("jdk.module.path"),
                "--add-modules", "ALL-MODULE-PATH",
                "-m", "io.fjord.cli/io.fjord.cli.Main",
                "broker", config.toString(), "--override", "listeners=PLAINTEXT://127.0.0.1:0"));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // readLine returns null if the process dies; the surefire timeout bounds a hang.
            String line = out.readLine();
            assertNotNull(line, () -> "no ready line; stderr: " + read(dir.resolve("stderr.txt")));
            Matcher ready = READY.matcher(line);
            assertTrue(ready.matches(), line);
            assertEquals(data.toAbsolutePath().normalize().toString(), ready.group(2));
            int port = Integer.parseInt(ready.group(1));

            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                assertEquals(0L, producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        "from-cli", new byte[] {1})).get().offset());
            }
        } finally {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the broker stops after SIGTERM");
        }
        assertTrue(Files.exists(data.resolve(".kafka_cleanshutdown")), "the shutdown hook closed the logs cleanly");
        assertTrue(Files.isDirectory(data.resolve("from-cli-0")), "the topic was auto-created");
        String stderr = read(dir.resolve("stderr.txt"));
        assertTrue(stderr.contains("unknown configuration key 'some.unknown.key'"), stderr);
        assertTrue(stderr.contains("WARN fjord broker: plugin " + plugins.resolve("broken.jar") + " failed to load: "),
                stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
