package io.fjord.moduletests;

import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;
import io.fjord.client.producer.FjordProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.fjord.moduletests.FjordProcesses.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample plugins of {@code plugins/}: the key-prefix partitioner and the counting interceptor
 * load from a plugins folder into Fjord's producer (this JVM) and are used against a broker of the
 * built image: records land in the partition the partitioner names, and the interceptor counts
 * and numbers every record.
 */
class SamplePluginsTest {

    private static Path image;
    private static Path pluginSources;

    @TempDir
    Path work;

    @BeforeAll
    static void findImage() {
        image = Modules.pathProperty("fjord.image");
        pluginSources = Modules.pathProperty("fjord.plugins.source");
    }

    private Path pluginsFolder(String... names) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        for (String name : names) {
            Path from = pluginSources.resolve(name + "/target/" + name);
            Path to = Files.createDirectories(plugins.resolve(name));
            try (Stream<Path> jars = Files.list(from)) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, to.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return plugins;
    }

    private static List<String> keysIn(FjordProcesses.Broker broker, int partition, int expected) throws Exception {
        FjordProcesses.Run r = run(image, "consume", "--bootstrap-server", broker.bootstrap(), "--topic", "orders",
                "--partition", Integer.toString(partition), "--offset", "0", "--max-messages", Integer.toString(expected),
                "--timeout-ms", "10000", "--property", "print.key=true");
        assertTrue(r.code() == 0 || expected == 0, r.out());
        return r.lines().stream().filter(l -> !l.startsWith("Processed")).map(l -> l.substring(0, l.indexOf('\t'))).toList();
    }

    @Test
    void recordsLandWhereThePartitionerSaysAndTheInterceptorSeesEveryOne() throws Exception {
        Path plugins = pluginsFolder("keyprefix", "counting");
        Path report = work.resolve("counting.txt");
        try (FjordProcesses.Broker broker = FjordProcesses.startBroker(image, work.resolve("data"))) {
            FjordProcesses.Run created = run(image, "topics", "--bootstrap-server", broker.bootstrap(),
                    "--create", "--topic", "orders", "--partitions", "3");
            assertEquals(0, created.code(), created.out());
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("plugin.path", plugins.toString());
            config.put("partitioner.class", "key-prefix");
            config.put("partitioner.key-prefix.routes", "eu:2,us:0");
            config.put("interceptor.classes", "counting");
            config.put("interceptor.counting.report.file", report.toString());
            config.put("key.serializer", "string");
            config.put("value.serializer", "string");
            List<String> keys = List.of("eu:1", "us:2", "eu:3", "us:4", "eu:5", "eu:6");
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (FjordProducer<String, String> producer = new FjordProducer<>(config)) {
                for (String key : keys) {
                    sent.add(producer.send(new ProducerRecord<>("orders", key, "v-" + key)));
                }
                for (int i = 0; i < keys.size(); i++) {
                    int expected = keys.get(i).startsWith("eu") ? 2 : 0;
                    assertEquals(expected, sent.get(i).get(30, TimeUnit.SECONDS).topicPartition().partition(), keys.get(i));
                }
            }
            assertEquals(List.of("eu:1", "eu:3", "eu:5", "eu:6"), keysIn(broker, 2, 4));
            assertEquals(List.of("us:2", "us:4"), keysIn(broker, 0, 2));
            assertEquals(List.of("orders sent=6 acknowledged=6 failed=0"),
                    Files.readAllLines(report, StandardCharsets.UTF_8));
        }
    }

    @Test
    void pluginsCheckListsWhatTheSampleFolderProvidesAndNamesAConflict() throws Exception {
        Path folder = pluginSources.resolve("keyprefix/target/keyprefix");
        FjordProcesses.Run ok = run(image, "plugins", "--check", folder.toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains("  partitioner key-prefix (io.fjord.plugin.keyprefix.KeyPrefixPartitioner)"), ok.out());
        assertTrue(ok.out().contains("Conflicts: none"), ok.out());
        // The same folder installed under another name: the name key-prefix would be ambiguous.
        Path plugins = pluginsFolder("keyprefix");
        FjordProcesses.Run conflict = run(image, "plugins", "--plugins-dir", plugins.toString(), "--check", folder.toString());
        assertEquals(1, conflict.code(), conflict.out());
        assertTrue(conflict.out().contains("partitioner 'key-prefix' is also provided by "
                + "io.fjord.plugin.keyprefix.KeyPrefixPartitioner (module io.fjord.plugin.keyprefix, from "
                + plugins.resolve("keyprefix") + ")"), conflict.out());
    }

    @Test
    void pluginsCheckRefusesAFolderThatDoesNotResolve() throws Exception {
        // The snappy plugin without snappy-java: its module requires one the installation lacks.
        Path broken = Files.createDirectories(work.resolve("snappy-broken"));
        try (Stream<Path> jars = Files.list(pluginSources.resolve("snappy/target/snappy"))) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("fjord-")).toList()) {
                Files.copy(jar, broken.resolve(jar.getFileName()));
            }
        }
        FjordProcesses.Run r = run(image, "plugins", "--check", broken.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("Does not load: does not resolve: Module snappy.java not found, required by "
                + "io.fjord.plugin.snappy"), r.out());
    }
}
