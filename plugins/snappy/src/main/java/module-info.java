/**
 * The {@code snappy} compression codec as a plugin, on snappy-java. snappy-java is an automatic
 * module named after its jar file ({@code snappy-java-<version>.jar}), so the jar keeps that name
 * in the plugin folder.
 */
module io.fjord.plugin.snappy {
    requires io.fjord.api;
    requires snappy.java;

    provides io.fjord.api.compression.CompressionCodec with io.fjord.plugin.snappy.SnappyCodec;
}
