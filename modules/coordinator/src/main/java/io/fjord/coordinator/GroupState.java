package io.fjord.coordinator;

/**
 * The states of a classic group, with the names Kafka reports in DescribeGroups and ListGroups.
 *
 * <pre>
 * Empty --join--> PreparingRebalance --all joined or timeout--> CompletingRebalance
 *   ^                   ^      |                                  |  leader's sync
 *   |                   |      +--no member left--> Empty         v
 *   +---last member leaves or expires (via PreparingRebalance)-- Stable
 * Dead: the group was deleted (or expired); it is never found again under its id.
 * </pre>
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
