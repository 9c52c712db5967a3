package io.fjord.moduletests;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's modules together with each plugin folder this build makes: they resolve the way
 * the kernel resolves them (parent-first, one child layer per folder), share no package, and
 * every service a Fjord module uses has a provider or a documented reason for having none.
 */
class ModuleGraphTest {

    /** Services with no provider yet, and why. A reason for a service that has providers fails the test. */
    private static final Map<String, String> NO_PROVIDER_YET = Map.of(
            "io.fjord.api.consumer.ConsumerInterceptor", "an extension point only; Fjord ships no interceptor");

    /** The plugin folders the build made: plugins/NAME/target/NAME/, each droppable into an image's plugins/. */
    static List<Path> builtPluginFolders() throws IOException {
        Path source = Modules.pathProperty("fjord.plugins.source");
        try (Stream<Path> plugins = Files.list(source)) {
            return plugins.filter(Files::isDirectory)
                    .map(p -> p.resolve("target").resolve(p.getFileName()))
                    .filter(Files::isDirectory)
                    .sorted().toList();
        }
    }

    private static Configuration resolvePluginFolder(Path folder) {
        ModuleFinder finder = ModuleFinder.of(folder);
        Set<String> roots = finder.findAll().stream().map(r -> r.descriptor().name())
                .filter(n -> ModuleLayer.boot().findModule(n).isEmpty())
                .collect(Collectors.toSet());
        return Configuration.resolveAndBind(ModuleFinder.of(), List.of(ModuleLayer.boot().configuration()), finder, roots);
    }

    @Test
    void theBuildMadeTheSnappyAndZooKeeperPluginFolders() throws IOException {
        List<String> names = builtPluginFolders().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("snappy", "zookeeper")), "plugin folders built: " + names);
    }

    @Test
    void everyPluginFolderResolvesParentFirstAgainstTheImage() throws IOException {
        for (Path folder : builtPluginFolders()) {
            Configuration cf = resolvePluginFolder(folder);
            assertFalse(cf.modules().isEmpty(), folder + " resolved no module");
            for (ResolvedModule m : cf.modules()) {
                assertTrue(m.reference().location().orElseThrow().getPath().startsWith(folder.toUri().getPath()),
                        m.name() + " was resolved from outside " + folder);
            }
            assertTrue(cf.findModule("io.fjord.api").orElseThrow().configuration() == ModuleLayer.boot().configuration(),
                    folder + " must take io.fjord.api from the image");
        }
    }

    @Test
    void noPackageIsInTwoModulesOfTheImageOrOfAnImageAndPluginFolder() throws IOException {
        Map<String, String> owner = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (ResolvedModule m : ModuleLayer.boot().configuration().modules()) {
            for (String p : m.reference().descriptor().packages()) {
                String previous = owner.putIfAbsent(p, m.name());
                if (previous != null) {
                    clashes.add(p + " in " + previous + " and " + m.name());
                }
            }
        }
        for (Path folder : builtPluginFolders()) {
            Map<String, String> withPlugin = new HashMap<>(owner);
            for (ResolvedModule m : resolvePluginFolder(folder).modules()) {
                for (String p : m.reference().descriptor().packages()) {
                    String previous = withPlugin.putIfAbsent(p, m.name());
                    if (previous != null) {
                        clashes.add(p + " in " + previous + " and " + m.name() + " of " + folder);
                    }
                }
            }
        }
        assertEquals(List.of(), clashes);
    }

    @Test
    void everyServiceAFjordModuleUsesHasAProviderOrADocumentedReason() throws IOException {
        Map<String, Set<String>> providers = new TreeMap<>();
        List<ModuleDescriptor> all = new ArrayList<>();
        ModuleLayer.boot().modules().forEach(m -> all.add(m.getDescriptor()));
        for (Path folder : builtPluginFolders()) {
            resolvePluginFolder(folder).modules().forEach(m -> all.add(m.reference().descriptor()));
        }
        for (ModuleDescriptor d : all) {
            d.provides().forEach(p -> providers.computeIfAbsent(p.service(), s -> new TreeSet<>()).add(d.name()));
        }
        Set<String> used = Modules.fjordModules().stream().flatMap(m -> m.getDescriptor().uses().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(used.isEmpty());
        for (String service : used) {
            boolean provided = providers.containsKey(service);
            boolean excused = NO_PROVIDER_YET.containsKey(service);
            assertTrue(provided || excused, service + " is used but nothing provides it and no reason is documented");
            assertFalse(provided && excused, service + " now has providers " + providers.get(service)
                    + ": remove its entry from NO_PROVIDER_YET");
        }
        assertEquals(Set.of("io.fjord.compression", "io.fjord.plugin.snappy"),
                providers.get("io.fjord.api.compression.CompressionCodec"));
        assertEquals(Set.of("io.fjord.assignors"), providers.get("io.fjord.api.consumer.PartitionAssignor"));
        // The sample plugins: how to write a partitioner and an interceptor.
        assertEquals(Set.of("io.fjord.plugin.keyprefix"), providers.get("io.fjord.api.producer.Partitioner"));
        assertEquals(Set.of("io.fjord.plugin.counting"), providers.get("io.fjord.api.producer.ProducerInterceptor"));
    }

    /** The JDK's own check over the module path the tests run on, plus each plugin folder. */
    @Test
    void javaValidateModulesPassesForTheModulePathWithEachPluginFolder() throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isBlank(), "not running on a module path");
        validate(modulePath);
        for (Path folder : builtPluginFolders()) {
            validate(modulePath + File.pathSeparator + folder);
        }
    }

    private static void validate(String modulePath) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "--validate-modules").redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "java --validate-modules did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "java --validate-modules --module-path " + modulePath + "\n" + out);
    }

    @Test
    void pluginFoldersHoldOnlyModulesTheKernelCanRead() throws IOException {
        for (Path folder : builtPluginFolders()) {
            Set<ModuleReference> refs = ModuleFinder.of(folder).findAll();
            assertFalse(refs.isEmpty(), folder + " holds no module");
            try (Stream<Path> files = Files.list(folder)) {
                assertEquals(refs.size(), files.filter(f -> f.toString().endsWith(".jar")).count(),
                        folder + " holds jars that are not modules");
            }
        }
    }
}
