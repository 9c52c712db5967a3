package io.fjord.moduletests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jlink image, end to end: what it holds, and {@code bin/fjord plugins} before and
 * after a plugin folder and a broken jar are dropped into a copy of it.
 */
class ImageTest {

    private static Path image;

    @TempDir
    Path work;

    @BeforeAll
    static void findImage() {
        image = Modules.pathProperty("fjord.image");
        assertTrue(Files.isExecutable(image.resolve("bin/fjord")),
                "no image at " + image + ": build it with the whole reactor (dist runs before these tests)");
    }

    private record Run(int code, String out) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(Path home, String... args) throws Exception {
        return run(home, Map.of(), args);
    }

    private static Run run(Path home, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/fjord").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("FJORD_HEAP_OPTS");
        builder.environment().remove("FJORD_OPTS");
        builder.environment().remove("FJORD_JVM_PERFORMANCE_OPTS");
        builder.environment().putAll(environment);
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fjord " + String.join(" ", args) + " did not finish");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/java").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theImageHoldsTheFjordModulesTheirModularDependenciesAndOnlyTheJdkModulesNeeded() throws Exception {
        Run r = java("--list-modules");
        assertEquals(0, r.code(), r.out());
        Set<String> names = new TreeSet<>();
        r.lines().forEach(l -> names.add(l.substring(0, l.indexOf('@'))));
        assertEquals(new TreeSet<>(Set.of(
                "io.fjord.api", "io.fjord.common", "io.fjord.protocol", "io.fjord.kernel", "io.fjord.compression", "io.fjord.assignors", "io.fjord.log",
                "io.fjord.timer", "io.fjord.network", "io.fjord.client", "io.fjord.controller", "io.fjord.replication", "io.fjord.coordinator",
                "io.fjord.cluster", "io.fjord.broker", "io.fjord.cli", "com.fasterxml.jackson.jr.ob", "com.fasterxml.jackson.core",
                "info.picocli", "org.lz4.java", "com.github.luben.zstd_jni", "org.jctools.core",
                "io.netty.buffer", "io.netty.codec", "io.netty.common", "io.netty.handler", "io.netty.resolver",
                "io.netty.transport", "io.netty.transport.classes.epoll", "io.netty.transport.epoll.linux.x86_64",
                "io.netty.transport.unix.common",
                "java.base", "java.logging", "jdk.unsupported",
                "java.management", "java.naming", "java.security.jgss", "java.security.sasl",
                "java.xml", "java.net.http")), names);
    }

    @Test
    void theImageValidatesAndHasItsFolders() throws Exception {
        Run r = java("--validate-modules");
        assertEquals(0, r.code(), r.out());
        assertTrue(Files.isRegularFile(image.resolve("conf/server.properties")));
        try (Stream<Path> plugins = Files.list(image.resolve("plugins"))) {
            assertEquals(List.of("zookeeper"), plugins.map(p -> p.getFileName().toString()).toList(),
                    "the image's plugins/ folder ships the ZooKeeper plugin and nothing else");
        }
    }

    @Test
    void theImageKeepsTheJarsOfItsOwnModulesForFjordImage() throws Exception {
        Run r = java("--list-modules");
        assertEquals(0, r.code(), r.out());
        Set<String> linked = new TreeSet<>();
        r.lines().stream().map(l -> l.substring(0, l.indexOf('@')))
                .filter(n -> !n.startsWith("java.") && !n.startsWith("jdk.")).forEach(linked::add);
        Set<String> kept = new TreeSet<>();
        java.lang.module.ModuleFinder.of(image.resolve("modules")).findAll()
                .forEach(m -> kept.add(m.descriptor().name()));
        assertEquals(linked, kept);
    }

    @Test
    void fjordVersionRunsFromTheImage() throws Exception {
        Run r = run(image, "version");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.lines().get(0).matches("Fjord \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.out());
    }

    /**
     * The JVM's final value of a -XX flag, from a run with "-XX:+PrintFlagsFinal -version" in
     * FJORD_OPTS: the JVM prints its flags and exits before the command runs.
     */
    private static String flagValue(Run r, String flag) {
        return r.lines().stream()
                .map(String::trim)
                .filter(l -> l.matches("\\S+ +" + flag + " +=.*"))
                .map(l -> l.replaceAll("^\\S+ +" + flag + " += +(\\w+).*$", "$1"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + flag + " in:\n" + r.out()));
    }

    private static long finalFlag(Run r, String flag) {
        return Long.parseLong(flagValue(r, flag));
    }

    private static boolean booleanFlag(Run r, String flag) {
        return Boolean.parseBoolean(flagValue(r, flag));
    }

    @Test
    void theLauncherGivesTheBrokerKafkasMaximumHeapZooKeeperKafkasHeapAndTheOtherCommandsASmallOne() throws Exception {
        String printFlags = "-XX:+PrintFlagsFinal -version";
        Run broker = run(image, Map.of("FJORD_OPTS", printFlags), "broker");
        assertEquals(0, broker.code(), broker.out());
        assertEquals(1L << 30, finalFlag(broker, "MaxHeapSize"));
        assertEquals(128L << 20, finalFlag(broker, "InitialHeapSize"), "Kafka's maximum, from a small start");

        Run zookeeper = run(image, Map.of("FJORD_OPTS", printFlags), "zookeeper");
        assertEquals(0, zookeeper.code(), zookeeper.out());
        assertEquals(512L << 20, finalFlag(zookeeper, "MaxHeapSize"));
        assertEquals(512L << 20, finalFlag(zookeeper, "InitialHeapSize"));

        Run topics = run(image, Map.of("FJORD_OPTS", printFlags), "topics");
        assertEquals(0, topics.code(), topics.out());
        assertEquals(256L << 20, finalFlag(topics, "MaxHeapSize"));

        Run chosen = run(image, Map.of("FJORD_OPTS", printFlags, "FJORD_HEAP_OPTS", "-Xmx300m"), "broker");
        assertEquals(0, chosen.code(), chosen.out());
        assertEquals(300L << 20, finalFlag(chosen, "MaxHeapSize"));
    }

    @Test
    void theLauncherGivesTheBrokerTheParallelCollectorAndSmallerInliningUnitsAndLeavesTheOtherCommandsAndAnEmptySettingAlone()
            throws Exception {
        String printFlags = "-XX:+PrintFlagsFinal -version";
        Run broker = run(image, Map.of("FJORD_OPTS", printFlags), "broker");
        assertEquals(0, broker.code(), broker.out());
        assertTrue(booleanFlag(broker, "UseParallelGC"));
        assertEquals(19L, finalFlag(broker, "GCTimeRatio"));
        assertEquals(100L, finalFlag(broker, "FreqInlineSize"));
        assertEquals(1000L, finalFlag(broker, "InlineSmallCode"));

        Run jvmDefault = run(image, Map.of("FJORD_OPTS", printFlags), "version");
        long defaultFreqInlineSize = finalFlag(jvmDefault, "FreqInlineSize");
        assertTrue(defaultFreqInlineSize > 100L, "the JVM's own default is larger: " + defaultFreqInlineSize);
        boolean defaultParallel = booleanFlag(jvmDefault, "UseParallelGC");
        assertFalse(defaultParallel, "the JVM picks G1 (or Serial on a small machine) by itself");

        Run emptied = run(image, Map.of("FJORD_OPTS", printFlags, "FJORD_JVM_PERFORMANCE_OPTS", ""), "broker");
        assertEquals(0, emptied.code(), emptied.out());
        assertEquals(defaultFreqInlineSize, finalFlag(emptied, "FreqInlineSize"), "an empty setting keeps the JVM's defaults");
        assertEquals(defaultParallel, booleanFlag(emptied, "UseParallelGC"), "an empty setting keeps the JVM's collector");
    }

    @Test
    void theBrokerStartsWithTheShippedConfigurationAsTheLaunchedProcessAndStopsOnSigterm() throws Exception {
        Process p = new ProcessBuilder(image.resolve("bin/fjord").toString(), "broker",
                image.resolve("conf/server.properties").toString(),
                "--override", "log.dirs=" + work.resolve("data"),
                "--override", "listeners=PLAINTEXT://127.0.0.1:0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // A guard against a broker that hangs before it prints anything, not a time limit on its start.
            String first = assertTimeoutPreemptively(Duration.ofMinutes(2), out::readLine);
            assertTrue(first != null && first.startsWith("Fjord broker 1 ready on 127.0.0.1:"), String.valueOf(first));
            // The launcher execs: the started process is the JVM, the one to signal and to watch.
            String command = p.info().command().orElseThrow();
            assertTrue(command.endsWith("/java"), command);
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the broker did not stop on SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Files.isRegularFile(work.resolve("data/meta.properties")));
    }

    @Test
    void pluginsListsBuiltInsThenADroppedInPluginThenReportsABrokenJar() throws Exception {
        Path home = copyOf(image, work.resolve("fjord"));
        Path plugins = home.resolve("plugins");

        Run builtIn = run(home, "plugins");
        assertEquals(0, builtIn.code(), builtIn.out());
        assertEquals(List.of(
                row("EXTENSION POINT", "NAME", "MODULE", "VERSION", "ORIGIN", "AUTOMATIC"),
                row("codec", "gzip", "io.fjord.compression", fjordVersion(), "image", "no"),
                row("codec", "lz4", "io.fjord.compression", fjordVersion(), "image", "no"),
                row("codec", "none", "io.fjord.compression", fjordVersion(), "image", "no"),
                row("codec", "zstd", "io.fjord.compression", fjordVersion(), "image", "no"),
                row("assignor", "cooperative-sticky", "io.fjord.assignors", fjordVersion(), "image", "no"),
                row("assignor", "range", "io.fjord.assignors", fjordVersion(), "image", "no"),
                row("assignor", "roundrobin", "io.fjord.assignors", fjordVersion(), "image", "no"),
                row("assignor", "sticky", "io.fjord.assignors", fjordVersion(), "image", "no"),
                row("serializer", "byte-array", "io.fjord.client", fjordVersion(), "image", "no"),
                row("serializer", "bytes", "io.fjord.client", fjordVersion(), "image", "no"),
                row("serializer", "integer", "io.fjord.client", fjordVersion(), "image", "no"),
                row("serializer", "long", "io.fjord.client", fjordVersion(), "image", "no"),
                row("serializer", "string", "io.fjord.client", fjordVersion(), "image", "no"),
                row("serializer", "uuid", "io.fjord.client", fjordVersion(), "image", "no"),
                row("deserializer", "byte-array", "io.fjord.client", fjordVersion(), "image", "no"),
                row("deserializer", "bytes", "io.fjord.client", fjordVersion(), "image", "no"),
                row("deserializer", "integer", "io.fjord.client", fjordVersion(), "image", "no"),
                row("deserializer", "long", "io.fjord.client", fjordVersion(), "image", "no"),
                row("deserializer", "string", "io.fjord.client", fjordVersion(), "image", "no"),
                row("deserializer", "uuid", "io.fjord.client", fjordVersion(), "image", "no"),
                "",
                "Plugins folder: " + plugins), builtIn.lines());

        Path snappy = ModuleGraphTest.builtPluginFolders().stream()
                .filter(p -> p.getFileName().toString().equals("snappy")).findFirst().orElseThrow();
        copyOf(snappy, plugins.resolve("snappy"));
        Run withSnappy = run(home, "plugins");
        assertEquals(0, withSnappy.code(), withSnappy.out());
        assertTrue(withSnappy.lines().stream().anyMatch(l -> l.matches(
                "codec +snappy +io\\.fjord\\.plugin\\.snappy +" + fjordVersion().replace(".", "\\.")
                        + " +" + plugins.resolve("snappy").toString().replace(".", "\\.") + " +no")), withSnappy.out());
        assertEquals(5, withSnappy.lines().stream().filter(l -> l.startsWith("codec ")).count(), withSnappy.out());

        Path broken = Files.writeString(plugins.resolve("broken.jar"), "PK this is no zip");
        Run withBroken = run(home, "plugins");
        assertEquals(1, withBroken.code(), withBroken.out());
        assertEquals(5, withBroken.lines().stream().filter(l -> l.startsWith("codec ")).count(), withBroken.out());
        assertTrue(withBroken.out().contains("Load errors:\n  " + broken + ": cannot be read as modules: "),
                withBroken.out());

        Run json = run(home, "plugins", "--json");
        assertEquals(1, json.code(), json.out());
        assertTrue(json.out().contains("\"name\":\"snappy\",\"class\":\"io.fjord.plugin.snappy.SnappyCodec\","
                + "\"module\":\"io.fjord.plugin.snappy\""), json.out());
        assertTrue(json.out().contains("{\"location\":\"" + broken + "\",\"reason\":\"cannot be read as modules: "),
                json.out());
    }

    /** A line of the built-in table: columns as wide as their widest cell, two spaces apart. */
    private static String row(String point, String name, String module, String version, String origin,
                              String automatic) {
        int versionWidth = Math.max("VERSION".length(), fjordVersion().length());
        return String.format("%-15s  %-18s  %-20s  %-" + versionWidth + "s  %-6s  %s",
                point, name, module, version, origin, automatic);
    }

    private static String fjordVersion() {
        return ModuleLayer.boot().findModule("io.fjord.api").orElseThrow().getDescriptor().rawVersion().orElseThrow();
    }

    /** Copies a folder tree keeping file modes, so the copied launchers stay executable. */
    private static Path copyOf(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return to;
    }
}
