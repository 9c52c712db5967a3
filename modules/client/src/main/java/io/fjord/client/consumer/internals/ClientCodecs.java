package io.fjord.client.consumer.internals;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.kernel.PluginRuntime;
import io.fjord.protocol.record.CodecRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The codecs a consumer reads compressed batches with: every codec the kernel finds, created the
 * first time a compressed batch arrives, so a consumer of uncompressed topics loads none.
 */
final class ClientCodecs implements CodecRegistry {

    private final PluginRuntime plugins;
    private final Map<String, String> config;
    private volatile CodecRegistry loaded;

    ClientCodecs(PluginRuntime plugins, Map<String, String> config) {
        this.plugins = plugins;
        this.config = config;
    }

    @Override
    public CompressionCodec codec(int id) {
        CodecRegistry registry = loaded;
        if (registry == null) {
            registry = load();
        }
        return registry.codec(id);
    }

    private synchronized CodecRegistry load() {
        if (loaded == null) {
            List<CompressionCodec> codecs = new ArrayList<>();
            boolean[] seen = new boolean[8];
            for (String name : plugins.names(CompressionCodec.class)) {
                try {
                    CompressionCodec codec = plugins.create(CompressionCodec.class, name, config);
                    if (codec.id() >= 0 && codec.id() < seen.length && !seen[codec.id()]) {
                        seen[codec.id()] = true;
                        codecs.add(codec);
                    }
                } catch (RuntimeException e) {
                    // A codec that cannot start only makes its own batches unreadable, reported
                    // as UNSUPPORTED_COMPRESSION_TYPE when one arrives.
                    System.getLogger(ClientCodecs.class.getName()).log(System.Logger.Level.WARNING,
                            "Codec " + name + " failed to start: " + e.getMessage());
                }
            }
            loaded = CodecRegistry.of(codecs);
        }
        return loaded;
    }
}
