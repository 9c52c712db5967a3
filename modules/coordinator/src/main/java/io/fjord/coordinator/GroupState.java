package io.fjord.coordinator;

/**
 * The states of a classic group, with the names Kafka reports in DescribeGroups and ListGroups,
 * and the transitions between them (Kafka's {@code ClassicGroupState}).
 *
 * <pre>
 * Empty --join--> PreparingRebalance --all joined or timeout--> CompletingRebalance
 *   ^                   ^      |                                  |  leader's sync
 *   |                   |      +--no member left--> Empty         v
 *   +---last member leaves or expires (via PreparingRebalance)-- Stable
 * Dead: the group was deleted, expired or unloaded; it is never found again under its id.
 * </pre>
 *
 * A group enters its first state when it is created: Empty, or Stable for a group replayed from
 * the log with members. Every later change goes through {@link #canTransitionTo}.
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name on the wire ({@code group_state} of DescribeGroups, the ListGroups states filter). */
    public String kafkaName() {
        return kafkaName;
    }

    /** Whether a group in this state may move to {@code next}; any other move is a bug. */
    public boolean canTransitionTo(GroupState next) {
        return switch (next) {
            case EMPTY -> this == PREPARING_REBALANCE;
            case PREPARING_REBALANCE -> this == EMPTY || this == STABLE || this == COMPLETING_REBALANCE;
            case COMPLETING_REBALANCE -> this == PREPARING_REBALANCE;
            case STABLE -> this == COMPLETING_REBALANCE;
            case DEAD -> true;
        };
    }

    /** The state named {@code name} on the wire, case-insensitively, or null. */
    public static GroupState forKafkaName(String name) {
        for (GroupState s : values()) {
            if (s.kafkaName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
