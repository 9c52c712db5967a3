package io.fjord.kernel;

import io.fjord.api.compression.CompressionCodec;

import java.util.Map;

/**
 * Run in a separate JVM on a plain class path by {@link ClassPathTest}: prints each codec found
 * as {@code name|module|origin|id}, then its load errors as {@code error|location|reason}.
 */
public final class ClassPathProbe {

    private ClassPathProbe() {
    }

    public static void main(String[] args) {
        try (PluginRuntime runtime = PluginRuntime.discover(null)) {
            for (PluginInfo p : runtime.plugins(CompressionCodec.class)) {
                CompressionCodec codec = runtime.create(CompressionCodec.class, p.name(), Map.of());
                System.out.println(p.name() + "|" + p.module() + "|" + p.origin() + "|" + codec.id());
            }
            runtime.errors().forEach(e -> System.out.println("error|" + e.location() + "|" + e.reason()));
        }
    }
}
