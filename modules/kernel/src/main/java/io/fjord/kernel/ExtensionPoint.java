package io.fjord.kernel;

import io.fjord.api.Plugin;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.consumer.ConsumerInterceptor;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.producer.Partitioner;
import io.fjord.api.producer.ProducerInterceptor;
import io.fjord.api.serialization.Deserializer;
import io.fjord.api.serialization.Serializer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An SPI type the kernel serves, with the word users see for it and the prefix under which its
 * plugins' properties live: the plugin {@code name} of a point with prefix {@code compression.}
 * is configured with the {@code compression.<name>.*} properties, prefix removed (so Kafka's
 * {@code compression.zstd.level} reaches the zstd codec as {@code level}).
 *
 * @param type the SPI interface
 * @param kind what users call it, e.g. {@code codec}
 * @param configPrefix the first part of its plugins' property keys, ending in a dot
 */
public record ExtensionPoint(Class<? extends Plugin> type, String kind, String configPrefix) {

    /** The extension points of {@code io.fjord.api}, in listing order. */
    public static final List<ExtensionPoint> BUILT_IN = List.of(
            new ExtensionPoint(CompressionCodec.class, "codec", "compression."),
            new ExtensionPoint(Partitioner.class, "partitioner", "partitioner."),
            new ExtensionPoint(ProducerInterceptor.class, "producer-interceptor", "interceptor."),
            new ExtensionPoint(ConsumerInterceptor.class, "consumer-interceptor", "interceptor."),
            new ExtensionPoint(PartitionAssignor.class, "assignor", "assignor."),
            new ExtensionPoint(Serializer.class, "serializer", "serializer."),
            new ExtensionPoint(Deserializer.class, "deserializer", "deserializer."));

    /** The built-in point of this type, or one named after the type for an SPI of a plugin's own. */
    public static ExtensionPoint of(Class<? extends Plugin> type) {
        for (ExtensionPoint p : BUILT_IN) {
            if (p.type == type) {
                return p;
            }
        }
        String kind = type.getSimpleName().toLowerCase(Locale.ROOT);
        return new ExtensionPoint(type, kind, kind + ".");
    }

    /** The properties of the plugin called {@code name}: those under {@code <prefix><name>.}, prefix removed. */
    public Map<String, String> configFor(String name, Map<String, String> all) {
        String prefix = configPrefix + name + ".";
        Map<String, String> mine = new TreeMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
                mine.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return Map.copyOf(mine);
    }
}
