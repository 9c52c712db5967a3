package io.fjord.kernel;

import io.fjord.api.ConfigException;
import io.fjord.api.compression.CompressionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginRuntimeTest {

    @TempDir
    Path plugins;

    @AfterEach
    void clearFixtureProperties() {
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("fjord.test.")).forEach(System::clearProperty);
    }

    private void explicitCodecPlugin(String folder, String module, String fqcn, String name) throws IOException {
        PluginJar.create()
                .moduleInfo("module " + module + " { requires io.fjord.api; provides io.fjord.api.compression.CompressionCodec with "
                        + fqcn + "; }")
                .codec(fqcn, name)
                .codecServices(fqcn)
                .moduleVersion("1.2.3")
                .writeTo(plugins.resolve(folder).resolve(module + ".jar"));
    }

    @Test
    void theTestRunsInTheNamedKernelModule() {
        assertTrue(PluginRuntime.class.getModule().isNamed());
        assertEquals("io.fjord.kernel", PluginRuntime.class.getModule().getName());
    }

    @Test
    void explicitModuleInASubfolderIsListedWithModuleVersionAndOrigin() throws IOException {
        explicitCodecPlugin("rot", "test.rot", "test.rot.RotCodec", "rot13");
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(List.of(), runtime.errors());
            PluginInfo info = runtime.plugins(CompressionCodec.class).stream()
                    .filter(p -> p.name().equals("rot13")).findFirst().orElseThrow();
            assertEquals("test.rot", info.module());
            assertEquals("1.2.3", info.version());
            assertEquals("test.rot.RotCodec", info.className());
            assertEquals(PluginOrigin.Kind.FOLDER, info.origin().kind());
            assertEquals(plugins.resolve("rot").toString(), info.origin().location());
            assertFalse(info.automatic());
            assertEquals("codec", info.point().kind());
            assertTrue(runtime.plugins().contains(info));
        }
    }

    @Test
    void aPlainJarDirectlyInTheFolderLoadsAsAnAutomaticModule() throws IOException {
        PluginJar.create().codec("test.auto.AutoCodec", "auto").codecServices("test.auto.AutoCodec")
                .writeTo(plugins.resolve("auto-codec-2.0.jar"));
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            PluginInfo info = runtime.plugins(CompressionCodec.class).get(0);
            assertEquals("auto", info.name());
            assertTrue(info.automatic());
            assertEquals("auto.codec", info.module());
            assertEquals("2.0", info.version());
            assertEquals(plugins.resolve("auto-codec-2.0.jar").toString(), info.origin().location());
            CompressionCodec codec = runtime.create(CompressionCodec.class, "auto", Map.of());
            assertEquals(7, codec.id());
        }
    }

    @Test
    void createSelectsByNameOrClassNameAndPassesOnlyThePluginsProperties() throws IOException {
        explicitCodecPlugin("rot", "test.rot", "test.rot.RotCodec", "rot13");
        Map<String, String> config = Map.of(
                "compression.rot13.shift", "5",
                "compression.rot13.mode.extra", "x",
                "compression.rot14.shift", "9",
                "compression.type", "rot13");
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            CompressionCodec byName = runtime.create(CompressionCodec.class, "rot13", config);
            assertEquals("{mode.extra=x, shift=5}", System.getProperty("fjord.test.rot13.config"));
            CompressionCodec byClass = runtime.create(CompressionCodec.class, "test.rot.RotCodec", Map.of());
            assertNotSame(byName, byClass);
            assertEquals("rot13", byClass.name());
            // The plugin's CompressionCodec is the kernel's: the API always comes from the parent layer.
            assertSame(CompressionCodec.class.getModule(), byName.getClass().getModule().getLayer().parents().get(0)
                    .findModule("io.fjord.api").orElseThrow());
        }
    }

    @Test
    void anUnknownNameListsTheNamesAvailable() throws IOException {
        explicitCodecPlugin("rot", "test.rot", "test.rot.RotCodec", "rot13");
        explicitCodecPlugin("rev", "test.rev", "test.rev.RevCodec", "reverse");
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            PluginException e = assertThrows(PluginException.class,
                    () -> runtime.create(CompressionCodec.class, "rot47", Map.of()));
            assertEquals("Unknown codec 'rot47'. Available: reverse, rot13", e.getMessage());
        }
    }

    @Test
    void anSpiWithNoProviderSaysNoneAreAvailable() {
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            PluginException e = assertThrows(PluginException.class,
                    () -> runtime.create(io.fjord.api.producer.Partitioner.class, "sticky", Map.of()));
            assertEquals("Unknown partitioner 'sticky'. Available: none", e.getMessage());
        }
    }

    @Test
    void twoProvidersOfOneNameAreRefusedNamingBothOrigins() throws IOException {
        explicitCodecPlugin("a", "test.a", "test.a.ACodec", "same");
        explicitCodecPlugin("b", "test.b", "test.b.BCodec", "same");
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(2, runtime.plugins(CompressionCodec.class).size());
            PluginException e = assertThrows(PluginException.class,
                    () -> runtime.create(CompressionCodec.class, "same", Map.of()));
            assertTrue(e.getMessage().startsWith("The codec name 'same' is provided more than once: "), e.getMessage());
            assertTrue(e.getMessage().contains("test.a.ACodec (module test.a, from " + plugins.resolve("a") + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("test.b.BCodec (module test.b, from " + plugins.resolve("b") + ")"), e.getMessage());
        }
    }

    @Test
    void aBrokenJarIsReportedWithItsPathAndTheOthersStillLoad() throws IOException {
        explicitCodecPlugin("good", "test.good", "test.good.GoodCodec", "good");
        Path broken = Files.write(plugins.resolve("broken.jar"), "this is not a zip file".getBytes());
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(Set.of("good"), runtime.names(CompressionCodec.class));
            PluginLoadError error = single(runtime.errors());
            assertEquals(broken.toString(), error.location());
            assertTrue(error.reason().startsWith("cannot be read as modules: "), error.reason());
        }
    }

    @Test
    void aPluginThatRequiresAMissingModuleIsReportedAndTheOthersStillLoad() throws IOException {
        explicitCodecPlugin("good", "test.good", "test.good.GoodCodec", "good");
        Path lib = PluginJar.create()
                .moduleInfo("module test.lib { exports test.lib; }")
                .source("test.lib.Helper", "package test.lib; public class Helper {}")
                .writeTo(plugins.resolveSibling("lib-" + System.nanoTime()).resolve("lib.jar"));
        PluginJar.create()
                .moduleInfo("module test.needy { requires io.fjord.api; requires test.lib;"
                        + " provides io.fjord.api.compression.CompressionCodec with test.needy.NeedyCodec; }")
                .codec("test.needy.NeedyCodec", "needy")
                .compileAgainst(lib)
                .writeTo(plugins.resolve("needy").resolve("needy.jar"));
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(Set.of("good"), runtime.names(CompressionCodec.class));
            PluginLoadError error = single(runtime.errors());
            assertEquals(plugins.resolve("needy").toString(), error.location());
            assertTrue(error.reason().startsWith("does not resolve: "), error.reason());
            assertTrue(error.reason().contains("Module test.lib not found, required by test.needy"), error.reason());
        }
    }

    @Test
    void aPluginThatSplitsAPackageOfTheImageIsReportedAndTheOthersStillLoad() throws IOException {
        explicitCodecPlugin("good", "test.good", "test.good.GoodCodec", "good");
        // A plain jar (automatic module) can carry a package of the API; resolution must refuse it.
        PluginJar.create()
                .codec("io.fjord.api.compression.SneakyCodec", "sneaky")
                .codecServices("io.fjord.api.compression.SneakyCodec")
                .writeTo(plugins.resolve("split.jar"));
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(Set.of("good"), runtime.names(CompressionCodec.class));
            PluginLoadError error = single(runtime.errors());
            assertEquals(plugins.resolve("split.jar").toString(), error.location());
            assertTrue(error.reason().contains("io.fjord.api.compression"), error.reason());
        }
    }

    @Test
    void aCopyOfTheApiInAPluginFolderNeverShadowsTheImages() throws IOException {
        Path folder = plugins.resolve("bundled");
        explicitCodecPlugin("bundled", "test.bundled", "test.bundled.BundledCodec", "bundled");
        Files.copy(apiJar(), folder.resolve("fjord-api-copy.jar"));
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(List.of(), runtime.errors());
            CompressionCodec codec = runtime.create(CompressionCodec.class, "bundled", Map.of());
            Module api = codec.getClass().getModule().getLayer().findModule("io.fjord.api").orElseThrow();
            assertSame(CompressionCodec.class.getModule(), api);
        }
    }

    @Test
    void aProviderWhoseConstructorFailsIsReportedAndTheOthersStillLoad() throws IOException {
        PluginJar.create()
                .moduleInfo("module test.mixed { requires io.fjord.api; provides io.fjord.api.compression.CompressionCodec"
                        + " with test.mixed.Good, test.mixed.Bad; }")
                .codec("test.mixed.Good", "fine")
                .source("test.mixed.Bad", PluginJar.codecSource("test.mixed.Bad", "bad",
                        "if (true) throw new IllegalStateException(\"no native library\");"))
                .writeTo(plugins.resolve("mixed.jar"));
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(Set.of("fine"), runtime.names(CompressionCodec.class));
            PluginLoadError error = single(runtime.errors());
            assertEquals("test.mixed.Bad", error.location());
            assertTrue(error.reason().contains("cannot be instantiated"), error.reason());
            assertTrue(error.reason().contains("no native library"), error.reason());
        }
    }

    @Test
    void aFolderWithoutJarsAndStrayFilesAreHandled() throws IOException {
        Files.createDirectories(plugins.resolve("empty"));
        Files.writeString(plugins.resolve("README.txt"), "drop plugins here");
        Files.createDirectories(plugins.resolve(".cache"));
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            PluginLoadError error = single(runtime.errors());
            assertEquals(plugins.resolve("empty").toString(), error.location());
            assertEquals("holds no module (expected one or more jars)", error.reason());
        }
    }

    @Test
    void noPluginsFolderMeansOnlyTheImage() {
        try (PluginRuntime runtime = PluginRuntime.discover(plugins.resolve("absent"))) {
            assertEquals(List.of(), runtime.errors());
            assertTrue(runtime.plugins().stream().allMatch(p -> p.origin().kind() != PluginOrigin.Kind.FOLDER));
        }
    }

    @Test
    void aConfigurationErrorReachesTheCallerAndThePluginIsClosed() throws IOException {
        explicitCodecPlugin("rot", "test.rot", "test.rot.RotCodec", "rot13");
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> runtime.create(CompressionCodec.class, "rot13", Map.of("compression.rot13.fail", "yes")));
            assertEquals("Invalid value yes for configuration compression.rot13.fail: must not be set", e.getMessage());
            assertEquals("rot13,", System.getProperty("fjord.test.closed"));
        }
    }

    @Test
    void closeClosesCreatedPluginsNewestFirstAndOnlyOnce() throws IOException {
        explicitCodecPlugin("a", "test.a", "test.a.ACodec", "alpha");
        explicitCodecPlugin("b", "test.b", "test.b.BCodec", "beta");
        PluginRuntime runtime = PluginRuntime.discover(plugins);
        runtime.create(CompressionCodec.class, "alpha", Map.of());
        CompressionCodec beta = runtime.create(CompressionCodec.class, "beta", Map.of());
        assertEquals(null, System.getProperty("fjord.test.closed"), "listing instances are never closed");
        runtime.close();
        runtime.close();
        assertEquals("beta,alpha,", System.getProperty("fjord.test.closed"));
        assertThrows(IllegalStateException.class, () -> runtime.create(CompressionCodec.class, "alpha", Map.of()));
        assertEquals("hello", new String(beta.decompressor(new ByteArrayInputStream("hello".getBytes())).readAllBytes()));
    }

    private static PluginLoadError single(List<PluginLoadError> errors) {
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    /** io.fjord.api as a jar (the build may hand the tests a classes folder). */
    private Path apiJar() throws IOException {
        Path location = PluginJar.apiLocation();
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = plugins.resolveSibling("api-" + System.nanoTime() + ".jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.walk(location)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(location.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }
}
