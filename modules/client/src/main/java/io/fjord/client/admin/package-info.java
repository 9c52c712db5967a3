/**
 * Fjord's admin client, {@link io.fjord.client.admin.FjordAdmin}: topics, partitions, configs,
 * offsets, records, the cluster and consumer groups, with value types named after Kafka's
 * ({@link io.fjord.client.admin.NewTopic}, {@link io.fjord.client.admin.TopicDescription},
 * {@link io.fjord.client.admin.ConfigResource}, {@link io.fjord.client.admin.OffsetSpec}, ...).
 */
package io.fjord.client.admin;
