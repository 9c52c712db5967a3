package io.fjord.cli;

import io.fjord.api.Plugin;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.consumer.ConsumerInterceptor;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.producer.Partitioner;
import io.fjord.api.producer.ProducerInterceptor;
import io.fjord.api.serialization.Deserializer;
import io.fjord.api.serialization.Serializer;
import io.fjord.kernel.ExtensionPoint;
import io.fjord.kernel.PluginInfo;
import io.fjord.kernel.PluginLoadError;
import io.fjord.kernel.PluginOrigin;
import io.fjord.kernel.PluginRuntime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that the plugins a mix's settings name are in the mix: every setting that selects a
 * provider by name ({@code compression.type=snappy}, {@code partitioner.class=...}) needs a
 * provider of that name in one of the mix's modules or plugin folders.
 *
 * <p>Providers of built-in modules are read from the running installation (the kernel's image
 * providers whose module is in the mix); plugin folders are loaded as the kernel loads them.
 */
final class ProviderCheck {

    /** The settings that name providers, and the extension points they name them from. */
    private static final Map<String, List<Class<? extends Plugin>>> SELECTING = Map.of(
            "compression.type", List.of(CompressionCodec.class),
            "partitioner.class", List.of(Partitioner.class),
            "interceptor.classes", List.of(ProducerInterceptor.class, ConsumerInterceptor.class),
            "partition.assignment.strategy", List.of(PartitionAssignor.class),
            "key.serializer", List.of(Serializer.class),
            "value.serializer", List.of(Serializer.class),
            "key.deserializer", List.of(Deserializer.class),
            "value.deserializer", List.of(Deserializer.class));

    /** Kafka's compression.type of a broker or topic that is no codec: keep what the producer sent. */
    private static final String PRODUCER_COMPRESSION = "producer";

    private ProviderCheck() {
    }

    /**
     * @param settings broker and client settings of the mix
     * @throws ImageException naming the setting, the provider it needs and what the mix has instead
     */
    static void check(Map<String, String> settings, ModuleMix mix, List<Path> pluginFolders) throws ImageException {
        try (PluginRuntime runtime = PluginRuntime.discover(null, pluginFolders)) {
            for (PluginLoadError error : runtime.errors()) {
                throw new ImageException("plugin " + error.location() + " does not load: " + error.reason());
            }
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                List<Class<? extends Plugin>> points = SELECTING.get(setting.getKey());
                if (points == null) {
                    continue;
                }
                for (String name : Arrays.stream(setting.getValue().split(",")).map(String::trim)
                        .filter(n -> !n.isEmpty() && !n.equals(PRODUCER_COMPRESSION)).toList()) {
                    Set<String> available = new TreeSet<>();
                    boolean found = false;
                    for (Class<? extends Plugin> point : points) {
                        for (PluginInfo p : runtime.plugins(point)) {
                            if (p.origin().kind() == PluginOrigin.Kind.IMAGE && !mix.contains(p.module())) {
                                continue;
                            }
                            available.add(p.name());
                            found |= p.name().equals(name) || p.className().equals(name);
                        }
                    }
                    if (!found) {
                        throw new ImageException(setting.getKey() + "=" + setting.getValue() + " needs the "
                                + ExtensionPoint.of(points.get(0)).kind()
                                + " '" + name + "', which no module or plugin folder of the mix provides (the mix has: "
                                + (available.isEmpty() ? "none" : String.join(", ", available))
                                + "); add the module or the plugin folder (--plugin) that provides it");
                    }
                }
            }
        }
    }
}
