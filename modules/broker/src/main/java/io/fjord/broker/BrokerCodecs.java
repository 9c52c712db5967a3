package io.fjord.broker;

import io.fjord.controller.MetadataException;

import io.fjord.api.ConfigException;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.controller.TopicImage;
import io.fjord.kernel.PluginException;
import io.fjord.kernel.PluginLoadError;
import io.fjord.kernel.PluginRuntime;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchRecompressor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compression codecs of a broker and Kafka's {@code compression.type} applied on the produce
 * path. Codecs come from the kernel's {@link PluginRuntime}: the built-in ones of the image and
 * those in the plugins folder ({@code plugin.path}), so a codec such as snappy is available once
 * its plugin folder is installed.
 *
 * <p>{@code compression.type} is the topic's override or the broker's value: {@code producer}
 * (the default) stores batches as the producer sent them, without touching their bytes;
 * {@code uncompressed}, {@code gzip}, {@code snappy}, {@code lz4} and {@code zstd} make the
 * broker rewrite each batch that arrives in another codec, at the level of
 * {@code compression.<codec>.level} (topic override, else broker setting, else the codec's
 * default). A batch already in the topic's codec is never rewritten, whatever its level.
 *
 * <p>Thread-safe: the codecs are configured once and shared; a codec for a new level is created
 * on first use and kept until {@link #close()}.
 */
final class BrokerCodecs implements AutoCloseable {

    static final String COMPRESSION_TYPE = "compression.type";
    static final String PRODUCER = "producer";
    private static final String[] KAFKA_TYPES = {"uncompressed", "gzip", "snappy", "lz4", "zstd"};

    private final PluginRuntime runtime;
    private final Path pluginsFolder;
    // Replaced together when the broker's dynamic settings change; read on the produce path.
    private volatile Map<String, String> brokerProperties;
    private volatile String brokerCompressionType;
    private final CodecRegistry readers;
    private final List<PluginLoadError> loadErrors;
    private final Map<String, CompressionCodec> writers = new ConcurrentHashMap<>();

    private BrokerCodecs(PluginRuntime runtime, Path pluginsFolder, Map<String, String> brokerProperties) {
        this.runtime = runtime;
        this.pluginsFolder = pluginsFolder;
        this.brokerProperties = brokerProperties;
        this.brokerCompressionType = compressionType(brokerProperties);
        List<PluginLoadError> errors = new ArrayList<>(runtime.errors());
        List<CompressionCodec> loaded = new ArrayList<>();
        for (String type : KAFKA_TYPES) {
            String name = codecName(type);
            if (!runtime.names(CompressionCodec.class).contains(name)) {
                continue;
            }
            try {
                CompressionCodec codec = runtime.create(CompressionCodec.class, name, Map.of());
                if (codec.id() == idOf(type)) {
                    loaded.add(codec);
                } else {
                    errors.add(new PluginLoadError(codec.getClass().getName(), "codec " + name + " has id "
                            + codec.id() + " where Kafka's " + name + " has " + idOf(type) + "; not used"));
                }
            } catch (PluginException | ConfigException e) {
                errors.add(new PluginLoadError(name, "codec " + name + " cannot be used: " + e.getMessage()));
            }
        }
        this.readers = CodecRegistry.of(loaded);
        this.loadErrors = List.copyOf(errors);
    }

    /** Every loaded codec by its id: what compressed batches are read with. */
    CodecRegistry readers() {
        return readers;
    }

    /**
     * Loads the codecs of the image and of {@code pluginsFolder}. A plugin that fails to load is
     * reported in {@link #loadErrors()}, not thrown.
     *
     * @param pluginsFolder the plugins folder; null, or a path that does not exist, means none
     * @param brokerProperties the broker's settings: {@code compression.type} and the levels
     * @throws ConfigException if the broker's own {@code compression.type} is unknown or needs a
     *     codec that is not loaded, or a {@code compression.<codec>.level} is out of the codec's range
     */
    static BrokerCodecs load(Path pluginsFolder, Map<String, String> brokerProperties) {
        BrokerCodecs codecs = new BrokerCodecs(PluginRuntime.discover(pluginsFolder), pluginsFolder,
                brokerProperties);
        try {
            if (!codecs.brokerCompressionType.equals(PRODUCER) && idOf(codecs.brokerCompressionType) < 0) {
                throw new ConfigException(COMPRESSION_TYPE, codecs.brokerCompressionType,
                        "one of producer, uncompressed, gzip, snappy, lz4, zstd");
            }
            String missing = codecs.missingCodec(codecs.brokerCompressionType);
            if (missing != null) {
                throw new ConfigException(COMPRESSION_TYPE, codecs.brokerCompressionType, missing);
            }
            codecs.createBrokerLevelWriters();
        } catch (RuntimeException e) {
            codecs.close();
            throw e;
        }
        return codecs;
    }

    /** Configures each loaded codec with the broker's level, so that a bad level stops the start. */
    private void createBrokerLevelWriters() {
        for (String type : KAFKA_TYPES) {
            String name = codecName(type);
            String levelKey = "compression." + name + ".level";
            String level = brokerProperties.get(levelKey);
            if (level != null && readers.codec(idOf(type)) != null) {
                try {
                    writers.put(name + "=" + level.trim(),
                            runtime.create(CompressionCodec.class, name, Map.of(levelKey, level.trim())));
                } catch (PluginException e) {
                    throw new ConfigException(levelKey, level, "a level the " + name + " codec accepts ("
                            + e.getMessage() + ")");
                }
            }
        }
    }

    private static String compressionType(Map<String, String> brokerProperties) {
        return brokerProperties.getOrDefault(COMPRESSION_TYPE, PRODUCER).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Takes the broker's {@code compression.type} and levels from its settings as they are now
     * (changed at run time); topics without their own compression settings follow them from the
     * next produce. The settings were checked before they were committed.
     */
    void updateBrokerSettings(Map<String, String> brokerProperties) {
        this.brokerProperties = Map.copyOf(brokerProperties);
        this.brokerCompressionType = compressionType(brokerProperties);
    }

    /** Plugins and codecs that failed to load, as {@code fjord plugins} lists them. */
    /** The plugin runtime the codecs came from; other plugins of the broker are found through it too. */
    PluginRuntime runtime() {
        return runtime;
    }

    List<PluginLoadError> loadErrors() {
        return loadErrors;
    }

    /**
     * Refuses a topic {@code compression.type} whose codec is not loaded: INVALID_CONFIG naming the
     * missing plugin.
     *
     * @throws MetadataException with {@link Errors#INVALID_CONFIG}
     */
    void requireCodec(String compressionType) {
        String missing = missingCodec(compressionType);
        if (missing != null) {
            throw new MetadataException(Errors.INVALID_CONFIG, missing);
        }
    }

    /**
     * Why a topic with this {@code compression.type} cannot be served, or null if it can: the
     * codec it names is not loaded (snappy without its plugin).
     */
    String missingCodec(String compressionType) {
        String type = compressionType == null ? PRODUCER : compressionType.trim().toLowerCase(Locale.ROOT);
        if (type.equals(PRODUCER) || idOf(type) < 0 || readers.codec(idOf(type)) != null) {
            return null;
        }
        String name = codecName(type);
        return "compression.type=" + type + " needs the " + name + " codec, which is not loaded: install the "
                + name + " plugin in the plugins folder (" + (pluginsFolder == null ? "plugin.path is not set"
                : pluginsFolder) + ") and restart the broker";
    }

    /**
     * The batches of a produce request as the topic stores them: {@code records} itself when the
     * topic keeps the producer's codec or every batch is in the topic's codec already (no copy),
     * otherwise a new buffer with every batch in the topic's codec.
     *
     * <p>Buffer ownership: the result is either the caller's buffer, untouched, or a new heap
     * buffer the caller owns.
     *
     * @param maxDecompressedBytes the most bytes one batch may inflate to
     * @throws ProtocolException with the error code to answer for this partition:
     *     UNSUPPORTED_COMPRESSION_TYPE when a batch's codec or the topic's is not loaded,
     *     CORRUPT_MESSAGE or INVALID_RECORD for a batch that cannot be read
     */
    ByteBuffer toTopicCodec(TopicImage topic, ByteBuffer records, int maxDecompressedBytes) {
        String type = topic.configs().getOrDefault(COMPRESSION_TYPE, brokerCompressionType);
        if (type.equals(PRODUCER)) {
            return records;
        }
        int id = idOf(type);
        if (id < 0 || !RecordBatchRecompressor.needsRecompression(records, id)) {
            return records;
        }
        return RecordBatchRecompressor.recompress(records, readers, writer(topic, type), maxDecompressedBytes);
    }

    /** The codec that writes a topic's batches: the plain one, or one configured with the topic's level. */
    private CompressionCodec writer(TopicImage topic, String type) {
        CompressionCodec plain = readers.codec(idOf(type));
        if (plain == null) {
            // The topic was configured while the plugin was installed; it has been removed since.
            throw new ProtocolException(Errors.UNSUPPORTED_COMPRESSION_TYPE, missingCodec(type));
        }
        String name = codecName(type);
        String levelKey = "compression." + name + ".level";
        String level = topic.configs().getOrDefault(levelKey, brokerProperties.get(levelKey));
        if (level == null) {
            return plain;
        }
        try {
            return writers.computeIfAbsent(name + "=" + level.trim(),
                    k -> runtime.create(CompressionCodec.class, name, Map.of(levelKey, level.trim())));
        } catch (PluginException | ConfigException e) {
            throw new ProtocolException(Errors.UNKNOWN_SERVER_ERROR, "The " + name + " codec cannot be"
                    + " configured with " + levelKey + "=" + level + ": " + e.getMessage(), e);
        }
    }

    /** The codec plugin name of a {@code compression.type}: Kafka's {@code uncompressed} is the codec {@code none}. */
    static String codecName(String compressionType) {
        return compressionType.equals("uncompressed") ? "none" : compressionType;
    }

    /** The batch codec id of a {@code compression.type}, or -1 for {@code producer} or an unknown name. */
    static int idOf(String compressionType) {
        return switch (compressionType) {
            case "uncompressed" -> CompressionCodec.NONE;
            case "gzip" -> CompressionCodec.GZIP;
            case "snappy" -> CompressionCodec.SNAPPY;
            case "lz4" -> CompressionCodec.LZ4;
            case "zstd" -> CompressionCodec.ZSTD;
            default -> -1;
        };
    }

    /** Closes every codec created, through the plugin runtime. */
    @Override
    public void close() {
        runtime.close();
    }
}
