package io.fjord.coordinator;

import io.fjord.common.Time;
import io.fjord.coordinator.store.CoordinatorRecords;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classic groups this coordinator holds, by id, and the one place where records of
 * {@code __consumer_offsets} become their state: {@link #replay}. The loader replays a partition's
 * records into a registry of its own, adopted whole once read; every live write replays the
 * records it appended, once they are in the log (except a group's metadata, see {@link #replay}).
 *
 * <p>Invariants: a group in the map is not Dead; a group leaves the map only as it becomes Dead,
 * under its own monitor. So a thread that holds the monitor of a group that is not Dead knows the
 * map holds that group under its id.
 *
 * <p>Thread safety: the map is concurrent; a group is changed only under its own monitor.
 */
final class GroupRegistry {

    private final Time time;
    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();

    GroupRegistry(Time time) {
        this.time = time;
    }

    /** The group, or null. A group may become Dead between this call and locking it: check after. */
    ClassicGroup get(String groupId) {
        return groups.get(groupId);
    }

    /** The group, created Empty if absent. A group may become Dead before it is locked: check after. */
    ClassicGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, time.milliseconds()));
    }

    /** Every group; a weakly consistent view. */
    Collection<ClassicGroup> all() {
        return Collections.unmodifiableCollection(groups.values());
    }

    /** Marks the group Dead and forgets it. The caller holds the group's monitor. */
    void remove(ClassicGroup group) {
        group.transitionTo(GroupState.DEAD, time.milliseconds());
        groups.remove(group.groupId(), group);
    }

    /**
     * Applies one record, in log order, to the group its key names:
     * <ul>
     *   <li>an offset commit sets the group's offset, creating an Empty group for it if needed;
     *       its tombstone removes the offset;
     *   <li>a group's metadata replaces the group by the one the record describes, keeping its
     *       offsets. Only records read at load get here: a live write makes that record from the
     *       in-memory group, which already is what it says (Kafka does not replay it either);
     *   <li>a group's tombstone makes the group Dead; offsets it still has stay in an Empty group
     *       that takes its place.
     * </ul>
     * A live write calls this under the monitor of the group it wrote for, which is not Dead, so
     * the record reaches that very group.
     */
    void replay(CoordinatorRecords.Decoded record) {
        if (record instanceof CoordinatorRecords.OffsetCommit commit) {
            replayOffsetCommit(commit);
        } else if (record instanceof CoordinatorRecords.GroupMetadata metadata) {
            if (metadata.value() == null) {
                replayGroupTombstone(metadata.groupId());
            } else {
                replayGroupMetadata(metadata);
            }
        }
    }

    private void replayOffsetCommit(CoordinatorRecords.OffsetCommit commit) {
        while (true) {
            ClassicGroup group = commit.offset() == null ? groups.get(commit.groupId()) : getOrCreate(commit.groupId());
            if (group == null) {
                return;
            }
            synchronized (group) {
                if (group.is(GroupState.DEAD)) {
                    continue; // removed between the look-up and the lock: look again
                }
                if (commit.offset() == null) {
                    group.removeOffset(commit.partition());
                } else {
                    group.putOffset(commit.partition(), commit.offset());
                }
                return;
            }
        }
    }

    private void replayGroupMetadata(CoordinatorRecords.GroupMetadata metadata) {
        ClassicGroup loaded = ClassicGroup.fromRecord(metadata.groupId(), metadata.value(), time.milliseconds());
        ClassicGroup replaced = groups.get(metadata.groupId());
        if (replaced != null) {
            synchronized (replaced) {
                loaded.takeOffsets(replaced);
                replaced.transitionTo(GroupState.DEAD, time.milliseconds());
            }
        }
        groups.put(metadata.groupId(), loaded);
    }

    private void replayGroupTombstone(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return;
            }
            group.transitionTo(GroupState.DEAD, time.milliseconds());
            if (group.hasOffsets()) {
                ClassicGroup offsetsOnly = new ClassicGroup(groupId, time.milliseconds());
                offsetsOnly.takeOffsets(group);
                groups.replace(groupId, group, offsetsOnly);
            } else {
                groups.remove(groupId, group);
            }
        }
    }

    /**
     * Takes every group of {@code loaded}, a registry a partition was replayed into, except those
     * holding nothing (Empty, never joined, every offset deleted: as if never committed).
     *
     * @return the groups taken
     */
    List<ClassicGroup> adopt(GroupRegistry loaded) {
        List<ClassicGroup> adopted = new ArrayList<>();
        for (ClassicGroup group : loaded.groups.values()) {
            synchronized (group) {
                if (group.is(GroupState.EMPTY) && group.protocolType() == null && !group.hasOffsets()) {
                    continue;
                }
                groups.put(group.groupId(), group);
                adopted.add(group);
            }
        }
        return adopted;
    }
}
