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
 *
 * <p>The parts, as in Kafka's group-coordinator module:
 * <ul>
 *   <li>{@code GroupCoordinator}, the facade: lifecycle, and for every call the same check of the
 *       group id and of whether the coordinator can answer for the group now;
 *   <li>{@code ClassicGroupManager}: join (with static membership), sync, heartbeat, leave,
 *       list, describe and delete groups; {@code ClassicGroupRebalancer}: the rebalance phases
 *       and the deadlines of phases, sessions and pending member ids;
 *   <li>{@code OffsetManager}: commits (only for partitions that exist), fetches, deletions,
 *       retention, and the offsets of deleted topics;
 *   <li>{@code OffsetsTopic}: whether {@code __consumer_offsets} exists, which partitions still
 *       load, and the writes of a group's records; {@code GroupLoader} reads a partition at
 *       start-up;
 *   <li>{@code GroupRegistry}: the groups, and {@code replay(record)}, the one way a record
 *       becomes in-memory state, used for the records read at start-up and for those of every
 *       live write once appended;
 *   <li>{@code ClassicGroup}: one group's state, changed only through its methods; its
 *       {@link io.fjord.coordinator.GroupState} moves only along the transitions the enum allows.
 * </ul>
 */
package io.fjord.coordinator;
