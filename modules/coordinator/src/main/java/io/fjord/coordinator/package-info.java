/**
 * The group coordinator of the classic consumer-group protocol.
 *
 * <p>{@link io.fjord.coordinator.GroupCoordinator} answers the group APIs (JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups,
 * OffsetDelete) in plain Java types; the broker maps wire structs to these calls. Each group lives
 * in one partition of {@code __consumer_offsets} ({@code abs(groupId.hashCode()) % partitions}),
 * where its committed offsets and its metadata are written before a request that changes them is
 * answered. Calls never block: a join or sync that must wait is parked and answered later from the
 * thread that completes the phase or from the coordinator's timer.
 */
package io.fjord.coordinator;
