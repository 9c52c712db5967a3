package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.consumer.ConsumerConfig.OffsetReset;
import io.fjord.client.consumer.ConsumerRebalanceListener;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the consumer reads and where: the subscription (topics, a pattern, or manually assigned
 * partitions), the assigned partitions, and per partition its position (the next offset to
 * return), whether it is paused and whether it awaits an offset reset.
 *
 * <p>Invariants: the subscription is of one kind at a time; only assigned partitions have state; a
 * partition is fetchable when it has a position and is neither paused nor awaiting a reset. Used
 * from the application's thread only (the coordinator's heartbeat thread never touches it).
 */
public final class SubscriptionState {

    enum Kind { NONE, TOPICS, PATTERN, USER_ASSIGNED }

    /** One assigned partition's state. */
    static final class PartitionState {
        long position = -1;
        Optional<Integer> lastEpoch = Optional.empty();
        boolean paused;
        OffsetReset pendingReset;
        long highWatermark = -1;
        long logStartOffset = -1;
        long lastStableOffset = -1;
        /** The leader epoch under which the position is known to be in the log; -1 until one is. */
        int validatedLeaderEpoch = -1;
        boolean awaitingValidation;
    }

    private final OffsetReset defaultReset;
    private Kind kind = Kind.NONE;
    private Set<String> topics = Set.of();
    private Pattern pattern;
    private ConsumerRebalanceListener listener = new NoOpListener();
    private final Map<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();

    public SubscriptionState(OffsetReset defaultReset) {
        this.defaultReset = defaultReset;
    }

    private static final class NoOpListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    // ---- subscription

    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        requireKind(Kind.TOPICS);
        this.kind = topics.isEmpty() ? Kind.NONE : Kind.TOPICS;
        this.topics = Set.copyOf(new LinkedHashSet<>(topics));
        this.listener = listener == null ? new NoOpListener() : listener;
    }

    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        requireKind(Kind.PATTERN);
        this.kind = Kind.PATTERN;
        this.pattern = pattern;
        this.topics = Set.of();
        this.listener = listener == null ? new NoOpListener() : listener;
    }

    /** Replaces a pattern's matched topics; returns whether they changed. */
    public boolean matchedTopics(Set<String> matched) {
        if (matched.equals(topics)) {
            return false;
        }
        topics = Set.copyOf(matched);
        return true;
    }

    public void assignFromUser(Collection<TopicPartition> partitions) {
        requireKind(Kind.USER_ASSIGNED);
        this.kind = partitions.isEmpty() ? Kind.NONE : Kind.USER_ASSIGNED;
        assignment.keySet().retainAll(Set.copyOf(partitions));
        for (TopicPartition tp : partitions) {
            assignment.computeIfAbsent(tp, p -> new PartitionState());
        }
        Set<String> assignedTopics = new LinkedHashSet<>();
        partitions.forEach(tp -> assignedTopics.add(tp.topic()));
        this.topics = Set.copyOf(assignedTopics);
    }

    public void unsubscribe() {
        kind = Kind.NONE;
        topics = Set.of();
        pattern = null;
        assignment.clear();
        listener = new NoOpListener();
    }

    private void requireKind(Kind wanted) {
        if (kind != Kind.NONE && kind != wanted) {
            throw new IllegalStateException("Subscription to topics, partition assignment and pattern "
                    + "subscription are mutually exclusive");
        }
    }

    public boolean hasAutoAssignment() {
        return kind == Kind.TOPICS || kind == Kind.PATTERN;
    }

    public boolean isUserAssigned() {
        return kind == Kind.USER_ASSIGNED;
    }

    public Pattern pattern() {
        return kind == Kind.PATTERN ? pattern : null;
    }

    /** The subscribed topics (a pattern's current matches); for manual assignment, the assigned topics. */
    public Set<String> topics() {
        return topics;
    }

    public ConsumerRebalanceListener listener() {
        return listener;
    }

    // ---- assignment from the group

    /** Sets the assignment the group gave; positions of partitions kept stay. */
    public void assignFromGroup(Collection<TopicPartition> partitions) {
        assignment.keySet().retainAll(Set.copyOf(partitions));
        for (TopicPartition tp : partitions) {
            assignment.computeIfAbsent(tp, p -> new PartitionState());
        }
    }

    public Set<TopicPartition> assignedPartitions() {
        return Set.copyOf(assignment.keySet());
    }

    /** In assignment order, for fetch requests and round-robin fairness. */
    public List<TopicPartition> assignedList() {
        return List.copyOf(assignment.keySet());
    }

    public boolean isAssigned(TopicPartition tp) {
        return assignment.containsKey(tp);
    }

    private PartitionState state(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        if (state == null) {
            throw new IllegalStateException("No current assignment for partition " + tp);
        }
        return state;
    }

    // ---- positions

    /**
     * Moves the position; one with an epoch (a committed offset, a user's seek with one) is checked
     * against the current leader before fetching resumes ({@link PositionValidator}).
     */
    public void seek(TopicPartition tp, long offset, Optional<Integer> epoch) {
        seekValidated(tp, offset, epoch, -1);
    }

    /** Moves the position to one the leader of epoch {@code leaderEpoch} gave (a reset, a truncation point). */
    public void seekValidated(TopicPartition tp, long offset, Optional<Integer> epoch, int leaderEpoch) {
        PartitionState state = state(tp);
        state.position = offset;
        state.lastEpoch = epoch;
        state.pendingReset = null;
        state.validatedLeaderEpoch = leaderEpoch;
        state.awaitingValidation = false;
    }

    // ---- validation after a leader change (KIP-320)

    /**
     * Whether the position must be checked against the log of the leader of {@code leaderEpoch}
     * before it is fetched: it carries the epoch of its last record, and no check (nor fetch) was
     * made under this leader epoch or a later one.
     */
    public boolean needsValidation(TopicPartition tp, int leaderEpoch) {
        PartitionState state = assignment.get(tp);
        return state != null && state.position >= 0 && state.lastEpoch.isPresent() && !state.awaitingValidation
                && leaderEpoch >= 0 && leaderEpoch > state.validatedLeaderEpoch;
    }

    public boolean awaitingValidation(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        return state != null && state.awaitingValidation;
    }

    public void awaitValidation(TopicPartition tp) {
        state(tp).awaitingValidation = true;
    }

    /**
     * Whether the partition may be fetched under {@code leaderEpoch} now: not if its position must
     * first be validated against that leader; if so, the position counts as valid under that epoch
     * from here on (a later leader checks it again).
     */
    public boolean fetchableUnder(TopicPartition tp, int leaderEpoch) {
        if (needsValidation(tp, leaderEpoch)) {
            return false;
        }
        validated(tp, leaderEpoch);
        return true;
    }

    /** The position stands under {@code leaderEpoch}: fetching (re)starts, validation is done or moot. */
    public void validated(TopicPartition tp, int leaderEpoch) {
        PartitionState state = assignment.get(tp);
        if (state != null) {
            state.awaitingValidation = false;
            state.validatedLeaderEpoch = Math.max(state.validatedLeaderEpoch, leaderEpoch);
        }
    }

    /** A validation that could not finish (an error, a leader moving again): it is tried anew. */
    public void validationFailed(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        if (state != null) {
            state.awaitingValidation = false;
        }
    }

    public long position(TopicPartition tp) {
        return state(tp).position;
    }

    public boolean hasPosition(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        return state != null && state.position >= 0;
    }

    public Optional<Integer> lastEpoch(TopicPartition tp) {
        return state(tp).lastEpoch;
    }

    /** Moves the position after records were returned or skipped. */
    public void advance(TopicPartition tp, long nextOffset, Optional<Integer> epoch) {
        PartitionState state = assignment.get(tp);
        if (state != null) {
            state.position = nextOffset;
            if (epoch.isPresent()) {
                state.lastEpoch = epoch;
            }
        }
    }

    public void updateFetchState(TopicPartition tp, long highWatermark, long logStartOffset, long lastStableOffset) {
        PartitionState state = assignment.get(tp);
        if (state != null) {
            state.highWatermark = highWatermark;
            state.logStartOffset = logStartOffset;
            state.lastStableOffset = lastStableOffset;
        }
    }

    /** Records behind the high watermark, or -1 if unknown. */
    public long lag(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        return state == null || state.highWatermark < 0 || state.position < 0 ? -1 : state.highWatermark - state.position;
    }

    public void requestReset(TopicPartition tp, OffsetReset strategy) {
        PartitionState state = state(tp);
        state.pendingReset = strategy;
        state.position = -1;
        state.awaitingValidation = false;
    }

    public OffsetReset defaultReset() {
        return defaultReset;
    }

    /** Partitions awaiting a reset, with the strategy of each. */
    public Map<TopicPartition, OffsetReset> pendingResets() {
        Map<TopicPartition, OffsetReset> out = new HashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.pendingReset != null) {
                out.put(tp, s.pendingReset);
            }
        });
        return out;
    }

    /** Assigned partitions with neither a position nor a pending reset: they need their committed offset. */
    public Set<TopicPartition> missingPositions() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.position < 0 && s.pendingReset == null) {
                out.add(tp);
            }
        });
        return out;
    }

    public boolean hasAllPositions() {
        for (PartitionState s : assignment.values()) {
            if (s.position < 0) {
                return false;
            }
        }
        return true;
    }

    // ---- pause

    public void pause(TopicPartition tp) {
        state(tp).paused = true;
    }

    public void resume(TopicPartition tp) {
        state(tp).paused = false;
    }

    public boolean isPaused(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        return state != null && state.paused;
    }

    public Set<TopicPartition> paused() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.paused) {
                out.add(tp);
            }
        });
        return out;
    }

    public boolean isFetchable(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        return state != null && !state.paused && state.position >= 0 && !state.awaitingValidation;
    }

    /** Positions of every assigned partition that has one, as offsets to commit. */
    public Map<TopicPartition, OffsetAndMetadata> allConsumed() {
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.position >= 0) {
                out.put(tp, new OffsetAndMetadata(s.position, s.lastEpoch, ""));
            }
        });
        return out;
    }
}
