package io.fjord.plugin.snappy;

import io.fjord.api.compression.CompressionCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin is a named module providing {@code snappy}, declared for module and class path alike. */
class SnappyPluginModuleTest {

    private static final String SERVICE = CompressionCodec.class.getName();
    private static final Module MODULE = SnappyPluginModuleTest.class.getModule();

    @Test
    void serviceLoaderFindsSnappyInTheNamedModule() {
        // The descriptor has no "uses" (the plugin only provides); the test adds it at run time.
        MODULE.addUses(CompressionCodec.class);
        List<CompressionCodec> codecs = ServiceLoader.load(CompressionCodec.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());
        assertEquals(1, codecs.size(), codecs.toString());
        CompressionCodec snappy = codecs.get(0);
        assertEquals("snappy", snappy.name());
        assertEquals(CompressionCodec.SNAPPY, snappy.id());
        assertTrue(snappy.getClass().getModule().isNamed(), "loaded from the class path");
        assertEquals("io.fjord.plugin.snappy", snappy.getClass().getModule().getName());
    }

    @Test
    void descriptorExportsNothingAndReadsSnappyJava() {
        ModuleDescriptor descriptor = MODULE.getDescriptor();
        assertNotNull(descriptor, "tests must run on the module path");
        assertTrue(descriptor.exports().isEmpty());
        assertEquals(Set.of("io.fjord.api", "snappy.java", "java.base"),
                descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        Module snappyJava = ModuleLayer.boot().findModule("snappy.java").orElseThrow();
        assertTrue(snappyJava.getDescriptor().isAutomatic());
    }

    @Test
    void serviceFileMatchesTheDescriptor() throws IOException {
        List<String> provided = MODULE.getDescriptor().provides().stream()
                .filter(p -> p.service().equals(SERVICE)).findFirst().orElseThrow().providers();
        try (InputStream in = MODULE.getResourceAsStream("META-INF/services/" + SERVICE)) {
            assertNotNull(in);
            assertEquals(provided, List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim()));
        }
    }
}
