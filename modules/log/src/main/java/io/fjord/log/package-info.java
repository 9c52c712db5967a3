/**
 * Partition logs on disk in Kafka's format. {@link io.fjord.log.LogManager} owns every
 * {@link io.fjord.log.PartitionLog} of a broker; a partition log appends validated batches
 * ({@link io.fjord.log.PartitionLog#append}), serves zero-copy {@link io.fjord.log.FileSlice}s
 * ({@link io.fjord.log.PartitionLog#read}), and recovers, rolls and deletes its segments. For
 * replication it appends a leader's batches as they are
 * ({@link io.fjord.log.PartitionLog#appendAsFollower}), cuts itself back
 * ({@link io.fjord.log.PartitionLog#truncateTo}, {@link io.fjord.log.PartitionLog#truncateFullyAndStartAt})
 * and records where a leader's epoch starts ({@link io.fjord.log.PartitionLog#assignEpochStartOffset}).
 * Failures a client must hear about are {@link io.fjord.log.LogException}s with Kafka's error code.
 */
package io.fjord.log;
