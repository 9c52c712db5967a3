/**
 * The consumer protocol's bytes, byte-compatible with Kafka's: the subscription and assignment a
 * consumer group exchanges through JoinGroup and SyncGroup
 * ({@link io.fjord.assignors.protocol.ConsumerProtocol}) and the user data of the sticky
 * assignors. Malformed bytes end in a {@link io.fjord.assignors.protocol.ConsumerProtocolException}.
 */
package io.fjord.assignors.protocol;
