package io.fjord.cluster.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partition's leadership as the controller records it at
 * {@code /brokers/topics/<t>/partitions/<p>/state} (Kafka's JSON, version 2 with the recovery state).
 *
 * <p>Invariants: the leader is a member of the ISR, or negative (-1: none; -2 in a metadata update:
 * the partition was deleted); the ISR is never empty while there is a
 * leader; {@code partitionEpoch} is the stored entry's version, so a write that expects it fails if
 * anyone changed the partition since it was read.
 *
 * @param leader              the leader's broker id, or -1 when none is live
 * @param leaderEpoch         bumped on every leader change and on every shrink by the controller
 * @param isr                 the in-sync replicas
 * @param controllerEpoch     the epoch of the controller that wrote this state
 * @param partitionEpoch      the version of the stored entry (not part of the JSON)
 * @param recovering          true after an unclean election, until the new leader has recovered (KIP-704)
 */
public record PartitionState(int leader, int leaderEpoch, List<Integer> isr, int controllerEpoch,
                             int partitionEpoch, boolean recovering) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        isr = List.copyOf(isr);
        if (leader >= 0 && !isr.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " is not in the ISR " + isr);
        }
    }

    /** A state with a new leader, ISR and controller epoch, and the next leader epoch. */
    public PartitionState withLeader(int newLeader, List<Integer> newIsr, int byControllerEpoch) {
        return new PartitionState(newLeader, leaderEpoch + 1, newIsr, byControllerEpoch, partitionEpoch, false);
    }

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("controller_epoch", controllerEpoch);
        m.put("leader", leader);
        m.put("version", 2);
        m.put("leader_epoch", leaderEpoch);
        m.put("isr", isr);
        m.put("leader_recovery_state", recovering ? 1 : 0);
        return StoredJson.write(m);
    }

    public static PartitionState fromJson(byte[] data, int version, String path) {
        Map<String, Object> m = StoredJson.read(data, path);
        return new PartitionState(StoredJson.intField(m, "leader", path), StoredJson.intField(m, "leader_epoch", path),
                StoredJson.intList(m.get("isr"), path), StoredJson.intField(m, "controller_epoch", path), version,
                StoredJson.intField(m, "leader_recovery_state", 0, path) == 1);
    }
}
