package io.fjord.moduletests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static io.fjord.moduletests.FjordProcesses.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fjord image} run from the built image, with the JDK of these tests as the linker: a
 * broker-only image with the snappy plugin ({@link SharedImages}, shared with other test classes)
 * and a client-only image, each built once (linking is slow), mixes that cannot work refused
 * before anything is linked, and a broker-only image built from a Maven repository.
 */
class CustomImageTest {

    private static Path brokerImage;
    private static Path clientImage;

    @TempDir
    static Path images;

    @TempDir
    Path work;

    @BeforeAll
    static void buildImages() throws Exception {
        brokerImage = SharedImages.brokerWithSnappy();
        clientImage = images.resolve("client");
        FjordProcesses.Run client = fjordImage("--output", clientImage.toString(),
                "--add-modules", "io.fjord.client,io.fjord.compression,io.fjord.assignors");
        assertEquals(0, client.code(), client.out());
        String broker = SharedImages.brokerWithSnappyOutput();
        assertTrue(broker.matches("(?s)Image .*/broker-snappy: \\d+\\.\\d MiB, \\d+ modules\n.*"), broker);
    }

    private static FjordProcesses.Run fjordImage(String... args) throws Exception {
        return SharedImages.fjordImage(args);
    }

    private static List<String> modules(Path image) throws Exception {
        String line = Files.readAllLines(image.resolve("release")).stream()
                .filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        return List.of(line.substring("MODULES=".length()).replace("\"", "").split(" "));
    }

    @Test
    void theBrokerOnlyImageHoldsTheBrokerAndTheSnappyPluginAndNoMoreThanItNeeds() throws Exception {
        List<String> modules = modules(brokerImage);
        assertTrue(modules.contains("io.fjord.broker"), modules.toString());
        assertTrue(modules.contains("io.fjord.controller"), "the broker's metadata store comes with it");
        assertFalse(Files.exists(brokerImage.resolve("plugins/zookeeper")), "a plugin folder not asked for");
        assertFalse(modules.contains("java.management"), "no module of the mix needs JMX");
        assertTrue(Files.isDirectory(brokerImage.resolve("plugins/snappy")));
        assertTrue(Files.isRegularFile(brokerImage.resolve("conf/server.properties")));
        FjordProcesses.Run plugins = run(brokerImage, "plugins");
        assertEquals(0, plugins.code(), plugins.out());
        assertTrue(plugins.out().matches("(?s).*\\bsnappy +io\\.fjord\\.plugin\\.snappy\\b.*"), plugins.out());
    }

    @Test
    void theClientOnlyImageRunsTheClientCommandsAndSaysWhyItRunsNoBroker() throws Exception {
        List<String> modules = modules(clientImage);
        assertTrue(modules.contains("io.fjord.client"), modules.toString());
        assertFalse(modules.stream().anyMatch(m -> m.equals("io.fjord.broker") || m.equals("io.fjord.log")
                || m.equals("io.fjord.controller") || m.startsWith("io.netty.")), modules.toString());
        FjordProcesses.Run version = run(clientImage, "version");
        assertEquals(0, version.code(), version.out());
        assertTrue(version.out().startsWith("Fjord "), version.out());
        FjordProcesses.Run broker = run(clientImage, "broker");
        assertEquals(1, broker.code(), broker.out());
        assertEquals("fjord broker: this image cannot run a broker: module io.fjord.broker is not in it "
                + "(build an image with fjord image --add-modules io.fjord.broker)", broker.out().strip());
    }

    @Test
    void theBrokerOnlyImageServesSnappyTopicsToTheClientOnlyImage() throws Exception {
        try (FjordProcesses.Broker broker = FjordProcesses.startBroker(brokerImage, work.resolve("data"))) {
            FjordProcesses.Run created = run(clientImage, "topics", "--bootstrap-server", broker.bootstrap(),
                    "--create", "--topic", "s", "--partitions", "1", "--config", "compression.type=snappy");
            assertEquals(0, created.code(), created.out());
            FjordProcesses.Run produced = FjordProcesses.runWithInput(clientImage, "one\ntwo\nthree\n", "produce",
                    "--bootstrap-server", broker.bootstrap(), "--topic", "s");
            assertEquals(0, produced.code(), produced.out());
            // The broker stored the batch as snappy: the client-only image has no snappy codec to read it...
            FjordProcesses.Run withoutSnappy = run(clientImage, "consume", "--bootstrap-server", broker.bootstrap(),
                    "--topic", "s", "--from-beginning", "--max-messages", "3", "--timeout-ms", "10000");
            assertEquals(1, withoutSnappy.code(), withoutSnappy.out());
            assertTrue(withoutSnappy.out().contains("No codec with id 2"), withoutSnappy.out());
            // ...and the broker image, with the plugin in its plugins/, reads it back.
            FjordProcesses.Run consumed = run(brokerImage, "consume", "--bootstrap-server", broker.bootstrap(),
                    "--topic", "s", "--from-beginning", "--max-messages", "3", "--timeout-ms", "10000");
            assertEquals(0, consumed.code(), consumed.out());
            assertEquals(List.of("one", "two", "three"), consumed.lines().stream()
                    .filter(l -> !l.startsWith("Processed")).toList());
            // perf consume reads with the image's plugins too.
            FjordProcesses.Run perf = run(brokerImage, "perf", "consume", "--bootstrap-server", broker.bootstrap(),
                    "--topic", "s", "--messages", "3", "--timeout", "10000");
            assertEquals(0, perf.code(), perf.out());
            assertTrue(perf.out().lines().anyMatch(l -> l.matches("[^,]+, [^,]+, [0-9.]+, [0-9.]+, 3, .*")), perf.out());
        }
    }

    @Test
    void aBrokerWithoutItsMetadataStoreIsRefusedNamingTheModuleAndWhoNeedsIt() throws Exception {
        Path output = work.resolve("refused");
        FjordProcesses.Run r = fjordImage("--output", output.toString(),
                "--add-modules", "io.fjord.broker", "--without", "io.fjord.controller");
        assertEquals(1, r.code(), r.out());
        assertEquals("fjord image: the mix cannot work: module io.fjord.controller (the metadata store) is missing "
                + "and io.fjord.broker needs it; it is left out by --without io.fjord.controller", r.out().strip());
        assertFalse(Files.exists(output));
    }

    @Test
    void aCodecTheMixLacksIsRefusedWithTheCodecsItHas() throws Exception {
        Path output = work.resolve("refused");
        FjordProcesses.Run r = fjordImage("--output", output.toString(),
                "--add-modules", "io.fjord.broker,io.fjord.compression", "--config", "compression.type=snappy");
        assertEquals(1, r.code(), r.out());
        assertEquals("fjord image: compression.type=snappy needs the codec 'snappy', which no module or plugin folder "
                + "of the mix provides (the mix has: gzip, lz4, none, zstd); add the module or the plugin folder "
                + "(--plugin) that provides it", r.out().strip());
        assertFalse(Files.exists(output));
    }

    @Test
    void aModuleThatNeedsOneLeftOutDeepDownIsRefusedWithThePathToIt() throws Exception {
        FjordProcesses.Run r = fjordImage("--output", work.resolve("refused").toString(),
                "--add-modules", "io.fjord.broker", "--without", "io.fjord.timer");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("module io.fjord.timer is missing and "), r.out());
        assertTrue(r.out().contains("left out by --without io.fjord.timer"), r.out());
    }

    @Test
    void anImageFromAMavenRepositoryHasTheModulesOfTheSameMixFromTheInstallationAndRunsABroker() throws Exception {
        Path repository = work.resolve("repository");
        String version = BuildRepository.layOut(repository);
        Path output = work.resolve("from-maven");
        // The build's artifacts first, then the local repository the build filled for all the others.
        FjordProcesses.Run r = fjordImage("--output", output.toString(), "--add-modules", "io.fjord.broker,io.fjord.compression",
                "--repository", repository.toString(), "--repository", Modules.pathProperty("fjord.maven.repository").toString());
        assertEquals(0, r.code(), r.out());
        assertEquals(modules(brokerImage), modules(output));
        assertFalse(Files.exists(work.resolve(".fjord-image-cache")),
                "the module folder is removed once the image is linked, and nothing was fetched over http to keep");
        FjordProcesses.Run fjordVersion = run(output, "version");
        assertEquals(0, fjordVersion.code(), fjordVersion.out());
        assertTrue(fjordVersion.out().startsWith("Fjord " + version + "\n"), fjordVersion.out());
        try (FjordProcesses.Broker broker = FjordProcesses.startBroker(output, work.resolve("data"))) {
            FjordProcesses.Run created = run(output, "topics", "--bootstrap-server", broker.bootstrap(),
                    "--create", "--topic", "t", "--partitions", "2");
            assertEquals(0, created.code(), created.out());
        }
    }

    @Test
    void aFjordVersionTheRepositoriesLackIsRefusedNamingTheArtifact() throws Exception {
        Path repository = work.resolve("repository");
        BuildRepository.layOut(repository);
        Path output = work.resolve("refused");
        FjordProcesses.Run r = fjordImage("--output", output.toString(), "--repository", repository.toString(),
                "--fjord-version", "0.0.1-nowhere");
        assertEquals(1, r.code(), r.out());
        assertEquals("fjord image: artifact io.fjord:fjord-cli:0.0.1-nowhere (pom), needed by the image, is in none "
                + "of the repositories " + repository, r.out().strip());
        assertFalse(Files.exists(output));
    }

    @Test
    void aCustomImageDoesNotCarryWhatRepositoriesNeedAndSaysSo() throws Exception {
        assertFalse(modules(clientImage).contains("java.xml"), "io.fjord.cli requires it static");
        Path output = work.resolve("refused");
        FjordProcesses.Run r = run(clientImage, "image", "--output", output.toString(), "--repository", work.toString());
        assertEquals(1, r.code(), r.out());
        assertEquals("fjord image: this runtime lacks the module java.xml, which --repository needs (to read POMs and "
                + "fetch over http): run fjord image from the default installation", r.out().strip());
        assertFalse(Files.exists(output));
    }

    @Test
    void theArtifactOfEachFjordModuleThatFjordImageFetchesIsTheOneTheBuildMakes() throws Exception {
        Properties table = new Properties();
        Path cli;
        try (Stream<Path> jars = Files.list(Modules.pathProperty("fjord.image").resolve("modules"))) {
            cli = jars.filter(j -> j.getFileName().toString().startsWith("fjord-cli-")).findFirst().orElseThrow();
        }
        try (ZipFile jar = new ZipFile(cli.toFile());
             InputStream in = jar.getInputStream(jar.getEntry("io/fjord/cli/fjord-artifacts.properties"))) {
            table.load(in);
        }
        Map<String, String> published = new TreeMap<>();
        table.stringPropertyNames().forEach(m -> published.put(m, table.getProperty(m)));
        assertEquals(BuildRepository.fjordModuleArtifacts(), published);
    }
}
