/**
 * The single-node store's files in the log dir: {@code meta.properties} in Kafka's format, the
 * versioned and checksummed topic metadata file, and the atomic replace they are written with.
 * Not exported: only {@link io.fjord.controller.SingleNodeMetadataStore} uses it.
 */
package io.fjord.controller.storage;
