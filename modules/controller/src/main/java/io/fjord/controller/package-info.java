/**
 * Cluster metadata as Kafka's KRaft controller keeps it, for one broker: the {@link
 * io.fjord.controller.MetadataStore} SPI, its read-only {@link io.fjord.controller.MetadataImage}
 * snapshots, topic name and topic config validation with Kafka's error codes, and {@link
 * io.fjord.controller.SingleNodeMetadataStore}, which persists the metadata in the log dir.
 */
package io.fjord.controller;
