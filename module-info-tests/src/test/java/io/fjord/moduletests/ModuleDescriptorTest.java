package io.fjord.moduletests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Fjord module's descriptor, line by line. A change to a module-info must change this
 * table too, which makes every new export, requirement or service a reviewed decision.
 */
class ModuleDescriptorTest {

    private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("io.fjord.api", List.of(
                    "exports io.fjord.api",
                    "exports io.fjord.api.compression",
                    "exports io.fjord.api.consumer",
                    "exports io.fjord.api.producer",
                    "exports io.fjord.api.serialization")),
            Map.entry("io.fjord.common", List.of(
                    "exports io.fjord.common",
                    "exports io.fjord.common.errors",
                    "requires java.logging")),
            Map.entry("io.fjord.protocol", List.of(
                    "exports io.fjord.protocol.errors",
                    "exports io.fjord.protocol.message",
                    "exports io.fjord.protocol.record",
                    "exports io.fjord.protocol.types",
                    "requires transitive io.fjord.api",
                    "requires transitive io.fjord.common")),
            Map.entry("io.fjord.log", List.of(
                    "exports io.fjord.log",
                    "requires java.logging",
                    "requires transitive io.fjord.api",
                    "requires transitive io.fjord.common",
                    "requires transitive io.fjord.protocol")),
            Map.entry("io.fjord.kernel", List.of(
                    "exports io.fjord.kernel",
                    "requires transitive io.fjord.api",
                    "uses io.fjord.api.compression.CompressionCodec",
                    "uses io.fjord.api.consumer.ConsumerInterceptor",
                    "uses io.fjord.api.consumer.PartitionAssignor",
                    "uses io.fjord.api.producer.Partitioner",
                    "uses io.fjord.api.producer.ProducerInterceptor",
                    "uses io.fjord.api.serialization.Deserializer",
                    "uses io.fjord.api.serialization.Serializer")),
            Map.entry("io.fjord.compression", List.of(
                    "provides io.fjord.api.compression.CompressionCodec with io.fjord.compression.GzipCodec, "
                            + "io.fjord.compression.Lz4Codec, io.fjord.compression.NoCompressionCodec, "
                            + "io.fjord.compression.ZstdCodec",
                    "requires com.github.luben.zstd_jni",
                    "requires io.fjord.api",
                    "requires org.lz4.java")),
            Map.entry("io.fjord.assignors", List.of(
                    "exports io.fjord.assignors.protocol",
                    "provides io.fjord.api.consumer.PartitionAssignor with "
                            + "io.fjord.assignors.CooperativeStickyAssignor, io.fjord.assignors.RangeAssignor, "
                            + "io.fjord.assignors.RoundRobinAssignor, io.fjord.assignors.StickyAssignor",
                    "requires io.fjord.api")),
            Map.entry("io.fjord.timer", List.of(
                    "exports io.fjord.timer")),
            Map.entry("io.fjord.controller", List.of(
                    "exports io.fjord.controller",
                    "exports io.fjord.controller.coordination",
                    "requires transitive io.fjord.api",
                    "requires transitive io.fjord.protocol")),
            Map.entry("io.fjord.cli", List.of(
                    "opens io.fjord.cli to info.picocli",
                    "requires com.fasterxml.jackson.jr.ob",
                    "requires info.picocli",
                    "requires io.fjord.assignors",
                    "requires io.fjord.client",
                    "requires io.fjord.kernel",
                    "requires static io.fjord.broker",
                    "requires static io.fjord.controller",
                    "requires static java.net.http",
                    "requires static java.xml")),
            Map.entry("io.fjord.network", List.of(
                    "exports io.fjord.network",
                    "requires io.netty.buffer",
                    "requires io.netty.codec",
                    "requires io.netty.common",
                    "requires io.netty.handler",
                    "requires io.netty.transport",
                    "requires io.netty.transport.classes.epoll",
                    "requires io.netty.transport.epoll.linux.x86_64",
                    "requires java.logging",
                    "requires org.jctools.core",
                    "requires transitive io.fjord.protocol")),
            Map.entry("io.fjord.client", List.of(
                    "exports io.fjord.client.admin",
                    "exports io.fjord.client.consumer",
                    "exports io.fjord.client.errors",
                    "exports io.fjord.client.network",
                    "exports io.fjord.client.producer",
                    "provides io.fjord.api.serialization.Deserializer with "
                            + "io.fjord.client.serialization.ByteArrayDeserializer, "
                            + "io.fjord.client.serialization.BytesDeserializer, "
                            + "io.fjord.client.serialization.IntegerDeserializer, "
                            + "io.fjord.client.serialization.LongDeserializer, "
                            + "io.fjord.client.serialization.StringDeserializer, "
                            + "io.fjord.client.serialization.UuidDeserializer",
                    "provides io.fjord.api.serialization.Serializer with "
                            + "io.fjord.client.serialization.ByteArraySerializer, "
                            + "io.fjord.client.serialization.BytesSerializer, "
                            + "io.fjord.client.serialization.IntegerSerializer, "
                            + "io.fjord.client.serialization.LongSerializer, "
                            + "io.fjord.client.serialization.StringSerializer, "
                            + "io.fjord.client.serialization.UuidSerializer",
                    "requires io.fjord.assignors",
                    "requires io.fjord.kernel",
                    "requires transitive io.fjord.protocol",
                    "uses io.fjord.api.compression.CompressionCodec",
                    "uses io.fjord.api.consumer.ConsumerInterceptor",
                    "uses io.fjord.api.consumer.PartitionAssignor",
                    "uses io.fjord.api.producer.Partitioner",
                    "uses io.fjord.api.producer.ProducerInterceptor",
                    "uses io.fjord.api.serialization.Deserializer",
                    "uses io.fjord.api.serialization.Serializer")),
            Map.entry("io.fjord.replication", List.of(
                    "exports io.fjord.replication",
                    "requires io.fjord.client",
                    "requires java.logging",
                    "requires transitive io.fjord.log",
                    "requires transitive io.fjord.protocol",
                    "requires transitive io.fjord.timer")),
            Map.entry("io.fjord.coordinator", List.of(
                    "exports io.fjord.coordinator",
                    "requires transitive io.fjord.protocol",
                    "requires transitive io.fjord.replication",
                    "requires transitive io.fjord.timer")),
            Map.entry("io.fjord.cluster", List.of(
                    "exports io.fjord.cluster",
                    "exports io.fjord.cluster.controller",
                    "exports io.fjord.cluster.state",
                    "requires com.fasterxml.jackson.jr.ob",
                    "requires io.fjord.client",
                    "requires io.fjord.common",
                    "requires java.logging",
                    "requires transitive io.fjord.controller")),
            Map.entry("io.fjord.broker", List.of(
                    "exports io.fjord.broker",
                    "requires io.fjord.cluster",
                    "requires io.fjord.replication",
                    "requires java.logging",
                    "requires transitive io.fjord.controller",
                    "requires transitive io.fjord.coordinator",
                    "requires transitive io.fjord.kernel",
                    "requires transitive io.fjord.network",
                    "uses io.fjord.controller.coordination.CoordinationEngine")));

    @Test
    void theTestsRunInANamedModuleOnTheModulePath() {
        Module self = getClass().getModule();
        assertTrue(self.isNamed(), "the module-graph tests fell back to the class path");
        assertEquals("io.fjord.moduletests", self.getName());
    }

    @Test
    void everyFjordModuleHasExactlyTheExpectedDescriptor() {
        Map<String, List<String>> actual = new TreeMap<>();
        for (Module m : Modules.fjordModules()) {
            actual.put(m.getName(), Modules.render(m.getDescriptor()));
        }
        assertEquals(new TreeMap<>(EXPECTED), actual);
    }

    @Test
    void fjordModulesAreExplicitAndNotOpen() {
        for (Module m : Modules.fjordModules()) {
            ModuleDescriptor d = m.getDescriptor();
            assertFalse(d.isAutomatic(), m.getName() + " is automatic");
            assertFalse(d.isOpen(), m.getName() + " is an open module");
            assertTrue(d.rawVersion().isPresent(), m.getName() + " has no version");
        }
    }

    @Test
    void everyFjordPackageLivesUnderItsModulesName() {
        for (Module m : Modules.fjordModules()) {
            for (String p : m.getPackages()) {
                assertTrue(p.equals(m.getName()) || p.startsWith(m.getName() + "."),
                        "package " + p + " of " + m.getName() + " is outside the module's package root");
            }
        }
    }

    /** Every provider is declared in META-INF/services too, so the jar also works on a class path. */
    @Test
    void servicesFilesMatchTheProvidesClauses() throws IOException {
        for (Module m : Modules.fjordModules()) {
            ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(m.getName()).orElseThrow();
            for (ModuleDescriptor.Provides p : m.getDescriptor().provides()) {
                try (var reader = resolved.reference().open();
                     InputStream in = reader.open("META-INF/services/" + p.service()).orElse(null)) {
                    assertTrue(in != null, m.getName() + " lacks META-INF/services/" + p.service());
                    Set<String> listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                            .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
                            .collect(Collectors.toCollection(TreeSet::new));
                    assertEquals(new TreeSet<>(p.providers()), listed, m.getName() + " " + p.service());
                }
            }
        }
    }
}
