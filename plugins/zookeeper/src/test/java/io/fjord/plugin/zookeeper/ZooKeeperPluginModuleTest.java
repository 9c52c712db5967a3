package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.controller.coordination.CoordinationServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's descriptor provides both services and exports nothing, and META-INF/services says
 * the same, so the jar works as a module and on a class path.
 */
class ZooKeeperPluginModuleTest {

    @Test
    void theDescriptorProvidesTheEngineAndTheServerAndExportsNothing() throws Exception {
        // The tests run on the class path: the descriptor is read from the compiled classes.
        Path classes = Path.of(ZooKeeperEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("io.fjord.plugin.zookeeper", descriptor.name());
        assertTrue(descriptor.exports().isEmpty());
        assertEquals(Set.of("io.fjord.controller", "org.apache.zookeeper", "curator.framework", "curator.client", "java.logging", "java.base"),
                descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        Map<String, List<String>> provides = new TreeMap<>();
        descriptor.provides().forEach(p -> provides.put(p.service(), p.providers()));
        assertEquals(Map.of(
                CoordinationEngine.class.getName(), List.of(ZooKeeperEngine.class.getName()),
                CoordinationServer.class.getName(), List.of(ZooKeeperCoordinationServer.class.getName())), provides);

        for (Map.Entry<String, List<String>> p : provides.entrySet()) {
            try (InputStream in = ZooKeeperEngine.class.getResourceAsStream("/META-INF/services/" + p.getKey())) {
                assertNotNull(in, p.getKey());
                assertEquals(p.getValue(), new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::trim).filter(l -> !l.isEmpty()).toList());
            }
        }
    }

    @Test
    void serviceLoaderFindsBothProvidersNamedZookeeper() {
        assertEquals(List.of("zookeeper"), ServiceLoader.load(CoordinationEngine.class).stream()
                .map(p -> p.get().name()).toList());
        assertEquals(List.of("zookeeper"), ServiceLoader.load(CoordinationServer.class).stream()
                .map(p -> p.get().name()).toList());
    }
}
