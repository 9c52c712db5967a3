/**
 * Fjord's built-in compression codecs, byte-compatible with Kafka's: {@code none}, {@code gzip}
 * (JDK), {@code lz4} (Kafka's LZ4 frame over lz4-java) and {@code zstd} (zstd-jni). Nothing is
 * exported: the codecs are reached through {@link io.fjord.api.compression.CompressionCodec}.
 */
module io.fjord.compression {
    requires io.fjord.api;
    requires org.lz4.java;
    requires com.github.luben.zstd_jni;

    provides io.fjord.api.compression.CompressionCodec with
            io.fjord.compression.NoCompressionCodec,
            io.fjord.compression.GzipCodec,
            io.fjord.compression.Lz4Codec,
            io.fjord.compression.ZstdCodec;
}
