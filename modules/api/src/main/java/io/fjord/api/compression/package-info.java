/**
 * The compression extension point: {@link io.fjord.api.compression.CompressionCodec}. Built-in
 * codecs live in {@code io.fjord.compression}; others (snappy) are plugins.
 */
package io.fjord.api.compression;
