package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codecs are found as services of the named module {@code io.fjord.compression}, declared
 * the same way in the module descriptor and in {@code META-INF/services}.
 */
class CodecDiscoveryTest {

    private static final String SERVICE = CompressionCodec.class.getName();
    private static final Module MODULE = CodecDiscoveryTest.class.getModule();

    @Test
    void serviceLoaderFindsTheFourCodecsInTheNamedModule() {
        // The descriptor has no "uses" (the module only provides); tests add it at run time.
        MODULE.addUses(CompressionCodec.class);
        Map<String, Integer> ids = new TreeMap<>();
        for (CompressionCodec codec : ServiceLoader.load(CompressionCodec.class)) {
            Module module = codec.getClass().getModule();
            assertTrue(module.isNamed(), codec.getClass() + " was loaded from the class path");
            assertEquals("io.fjord.compression", module.getName());
            ids.put(codec.name(), codec.id());
        }
        assertEquals(Map.of("none", 0, "gzip", 1, "lz4", 3, "zstd", 4), ids);
    }

    @Test
    void moduleExportsNothingAndProvidesTheCodecs() {
        ModuleDescriptor descriptor = MODULE.getDescriptor();
        assertNotNull(descriptor, "tests must run on the module path");
        assertEquals("io.fjord.compression", descriptor.name());
        assertTrue(descriptor.exports().isEmpty(), descriptor.exports().toString());
        assertEquals(Set.of("io.fjord.api", "org.lz4.java", "com.github.luben.zstd_jni", "java.base"),
                descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    @Test
    void serviceFileListsWhatTheDescriptorProvides() throws IOException {
        List<String> provided = MODULE.getDescriptor().provides().stream()
                .filter(p -> p.service().equals(SERVICE))
                .findFirst().orElseThrow().providers();
        Set<String> listed = new TreeSet<>();
        try (InputStream in = MODULE.getResourceAsStream("META-INF/services/" + SERVICE)) {
            assertNotNull(in, "META-INF/services/" + SERVICE);
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(listed::add);
        }
        assertEquals(new TreeSet<>(provided), listed);
        assertEquals(4, listed.size());
    }
}
