package io.fjord.common.errors;

/**
 * Every error code of the Kafka protocol, with Kafka's numbers and names, so that clients map
 * Fjord's answers to the same exceptions they get from Apache Kafka.
 *
 * <p>Invariant: {@link #code()} values are unique and match Kafka's {@code Errors}; {@link
 * #retriable()} says whether a Kafka client treats the error as transient and retries on its own.
 * The default messages are short descriptions for logs and for the {@code error_message} fields of
 * responses that have one.
 */
public enum Errors {
    UNKNOWN_SERVER_ERROR(-1, false, "The server hit an unexpected error while handling the request."),
    NONE(0, false, "No error."),
    OFFSET_OUT_OF_RANGE(1, false, "Offset out of range."),
    CORRUPT_MESSAGE(2, true, "Corrupt message."),
    UNKNOWN_TOPIC_OR_PARTITION(3, true, "Unknown topic or partition."),
    INVALID_FETCH_SIZE(4, false, "Invalid fetch size."),
    LEADER_NOT_AVAILABLE(5, true, "Leader not available."),
    NOT_LEADER_OR_FOLLOWER(6, true, "Not leader or follower."),
    REQUEST_TIMED_OUT(7, true, "Request timed out."),
    BROKER_NOT_AVAILABLE(8, false, "Broker not available."),
    REPLICA_NOT_AVAILABLE(9, true, "Replica not available."),
    MESSAGE_TOO_LARGE(10, false, "Message too large."),
    STALE_CONTROLLER_EPOCH(11, false, "Stale controller epoch."),
    OFFSET_METADATA_TOO_LARGE(12, false, "Offset metadata too large."),
    NETWORK_EXCEPTION(13, true, "Network exception."),
    COORDINATOR_LOAD_IN_PROGRESS(14, true, "Coordinator load in progress."),
    COORDINATOR_NOT_AVAILABLE(15, true, "Coordinator not available."),
    NOT_COORDINATOR(16, true, "Not coordinator."),
    INVALID_TOPIC_EXCEPTION(17, false, "Invalid topic exception."),
    RECORD_LIST_TOO_LARGE(18, false, "Record list too large."),
    NOT_ENOUGH_REPLICAS(19, true, "Not enough replicas."),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(20, true, "Not enough replicas after append."),
    INVALID_REQUIRED_ACKS(21, false, "Invalid required acks."),
    ILLEGAL_GENERATION(22, false, "Illegal generation."),
    INCONSISTENT_GROUP_PROTOCOL(23, false, "Inconsistent group protocol."),
    INVALID_GROUP_ID(24, false, "Invalid group ID."),
    UNKNOWN_MEMBER_ID(25, false, "Unknown member ID."),
    INVALID_SESSION_TIMEOUT(26, false, "Invalid session timeout."),
    REBALANCE_IN_PROGRESS(27, false, "Rebalance in progress."),
    INVALID_COMMIT_OFFSET_SIZE(28, false, "Invalid commit offset size."),
    TOPIC_AUTHORIZATION_FAILED(29, false, "Topic authorization failed."),
    GROUP_AUTHORIZATION_FAILED(30, false, "Group authorization failed."),
    CLUSTER_AUTHORIZATION_FAILED(31, false, "Cluster authorization failed."),
    INVALID_TIMESTAMP(32, false, "Invalid timestamp."),
    UNSUPPORTED_SASL_MECHANISM(33, false, "Unsupported SASL mechanism."),
    ILLEGAL_SASL_STATE(34, false, "Illegal SASL state."),
    UNSUPPORTED_VERSION(35, false, "Unsupported version."),
    TOPIC_ALREADY_EXISTS(36, false, "Topic already exists."),
    INVALID_PARTITIONS(37, false, "Invalid partitions."),
    INVALID_REPLICATION_FACTOR(38, false, "Invalid replication factor."),
    INVALID_REPLICA_ASSIGNMENT(39, false, "Invalid replica assignment."),
    INVALID_CONFIG(40, false, "Invalid config."),
    NOT_CONTROLLER(41, true, "Not controller."),
    INVALID_REQUEST(42, false, "Invalid request."),
    UNSUPPORTED_FOR_MESSAGE_FORMAT(43, false, "Unsupported for message format."),
    POLICY_VIOLATION(44, false, "Policy violation."),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, false, "Out of order sequence number."),
    DUPLICATE_SEQUENCE_NUMBER(46, false, "Duplicate sequence number."),
    INVALID_PRODUCER_EPOCH(47, false, "Invalid producer epoch."),
    INVALID_TXN_STATE(48, false, "Invalid transaction state."),
    INVALID_PRODUCER_ID_MAPPING(49, false, "Invalid producer ID mapping."),
    INVALID_TRANSACTION_TIMEOUT(50, false, "Invalid transaction timeout."),
    CONCURRENT_TRANSACTIONS(51, true, "Concurrent transactions."),
    TRANSACTION_COORDINATOR_FENCED(52, false, "Transaction coordinator fenced."),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(53, false, "Transactional ID authorization failed."),
    SECURITY_DISABLED(54, false, "Security disabled."),
    OPERATION_NOT_ATTEMPTED(55, false, "Operation not attempted."),
    KAFKA_STORAGE_ERROR(56, true, "Kafka storage error."),
    LOG_DIR_NOT_FOUND(57, false, "Log dir not found."),
    SASL_AUTHENTICATION_FAILED(58, false, "SASL authentication failed."),
    UNKNOWN_PRODUCER_ID(59, false, "Unknown producer ID."),
    REASSIGNMENT_IN_PROGRESS(60, false, "Reassignment in progress."),
    DELEGATION_TOKEN_AUTH_DISABLED(61, false, "Delegation token auth disabled."),
    DELEGATION_TOKEN_NOT_FOUND(62, false, "Delegation token not found."),
    DELEGATION_TOKEN_OWNER_MISMATCH(63, false, "Delegation token owner mismatch."),
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED(64, false, "Delegation token request not allowed."),
    DELEGATION_TOKEN_AUTHORIZATION_FAILED(65, false, "Delegation token authorization failed."),
    DELEGATION_TOKEN_EXPIRED(66, false, "Delegation token expired."),
    INVALID_PRINCIPAL_TYPE(67, false, "Invalid principal type."),
    NON_EMPTY_GROUP(68, false, "Non empty group."),
    GROUP_ID_NOT_FOUND(69, false, "Group ID not found."),
    FETCH_SESSION_ID_NOT_FOUND(70, true, "Fetch session ID not found."),
    INVALID_FETCH_SESSION_EPOCH(71, true, "Invalid fetch session epoch."),
    LISTENER_NOT_FOUND(72, true, "Listener not found."),
    TOPIC_DELETION_DISABLED(73, false, "Topic deletion disabled."),
    FENCED_LEADER_EPOCH(74, true, "Fenced leader epoch."),
    UNKNOWN_LEADER_EPOCH(75, true, "Unknown leader epoch."),
    UNSUPPORTED_COMPRESSION_TYPE(76, false, "Unsupported compression type."),
    STALE_BROKER_EPOCH(77, false, "Stale broker epoch."),
    OFFSET_NOT_AVAILABLE(78, true, "Offset not available."),
    MEMBER_ID_REQUIRED(79, false, "Member ID required."),
    PREFERRED_LEADER_NOT_AVAILABLE(80, true, "Preferred leader not available."),
    GROUP_MAX_SIZE_REACHED(81, false, "Group max size reached."),
    FENCED_INSTANCE_ID(82, false, "Fenced instance ID."),
    ELIGIBLE_LEADERS_NOT_AVAILABLE(83, true, "Eligible leaders not available."),
    ELECTION_NOT_NEEDED(84, true, "Election not needed."),
    NO_REASSIGNMENT_IN_PROGRESS(85, false, "No reassignment in progress."),
    GROUP_SUBSCRIBED_TO_TOPIC(86, false, "Group subscribed to topic."),
    INVALID_RECORD(87, false, "Invalid record."),
    UNSTABLE_OFFSET_COMMIT(88, true, "Unstable offset commit."),
    THROTTLING_QUOTA_EXCEEDED(89, true, "Throttling quota exceeded."),
    PRODUCER_FENCED(90, false, "Producer fenced."),
    RESOURCE_NOT_FOUND(91, false, "Resource not found."),
    DUPLICATE_RESOURCE(92, false, "Duplicate resource."),
    UNACCEPTABLE_CREDENTIAL(93, false, "Unacceptable credential."),
    INCONSISTENT_VOTER_SET(94, false, "Inconsistent voter set."),
    INVALID_UPDATE_VERSION(95, false, "Invalid update version."),
    FEATURE_UPDATE_FAILED(96, false, "Feature update failed."),
    PRINCIPAL_DESERIALIZATION_FAILURE(97, false, "Principal deserialization failure."),
    SNAPSHOT_NOT_FOUND(98, false, "Snapshot not found."),
    POSITION_OUT_OF_RANGE(99, false, "Position out of range."),
    UNKNOWN_TOPIC_ID(100, true, "Unknown topic ID."),
    DUPLICATE_BROKER_REGISTRATION(101, false, "Duplicate broker registration."),
    BROKER_ID_NOT_REGISTERED(102, false, "Broker ID not registered."),
    INCONSISTENT_TOPIC_ID(103, true, "Inconsistent topic ID."),
    INCONSISTENT_CLUSTER_ID(104, false, "Inconsistent cluster ID."),
    TRANSACTIONAL_ID_NOT_FOUND(105, false, "Transactional ID not found."),
    FETCH_SESSION_TOPIC_ID_ERROR(106, true, "Fetch session topic ID error."),
    INELIGIBLE_REPLICA(107, false, "Ineligible replica."),
    NEW_LEADER_ELECTED(108, false, "New leader elected."),
    OFFSET_MOVED_TO_TIERED_STORAGE(109, false, "Offset moved to tiered storage."),
    FENCED_MEMBER_EPOCH(110, false, "Fenced member epoch."),
    UNRELEASED_INSTANCE_ID(111, false, "Unreleased instance ID."),
    UNSUPPORTED_ASSIGNOR(112, false, "Unsupported assignor."),
    STALE_MEMBER_EPOCH(113, false, "Stale member epoch."),
    MISMATCHED_ENDPOINT_TYPE(114, false, "Mismatched endpoint type."),
    UNSUPPORTED_ENDPOINT_TYPE(115, false, "Unsupported endpoint type."),
    UNKNOWN_CONTROLLER_ID(116, false, "Unknown controller ID."),
    UNKNOWN_SUBSCRIPTION_ID(117, false, "Unknown subscription ID."),
    TELEMETRY_TOO_LARGE(118, false, "Telemetry too large."),
    INVALID_REGISTRATION(119, false, "Invalid registration."),
    TRANSACTION_ABORTABLE(120, false, "Transaction abortable."),
    INVALID_RECORD_STATE(121, false, "Invalid record state."),
    SHARE_SESSION_NOT_FOUND(122, true, "Share session not found."),
    INVALID_SHARE_SESSION_EPOCH(123, true, "Invalid share session epoch."),
    FENCED_STATE_EPOCH(124, false, "Fenced state epoch."),
    INVALID_VOTER_KEY(125, false, "Invalid voter key."),
    DUPLICATE_VOTER(126, false, "Duplicate voter."),
    VOTER_NOT_FOUND(127, false, "Voter not found."),
    INVALID_REGULAR_EXPRESSION(128, false, "Invalid regular expression."),
    REBOOTSTRAP_REQUIRED(129, false, "Rebootstrap required."),
    STREAMS_INVALID_TOPOLOGY(130, false, "Streams invalid topology."),
    STREAMS_INVALID_TOPOLOGY_EPOCH(131, false, "Streams invalid topology epoch."),
    STREAMS_TOPOLOGY_FENCED(132, false, "Streams topology fenced."),
    SHARE_SESSION_LIMIT_REACHED(133, true, "Share session limit reached."),
    GROUP_DELETION_FAILED(134, false, "Group deletion failed."),
    STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED(135, false, "Streams topology description update failed."),
    CONTROLLER_ID_NOT_REGISTERED(136, false, "Controller ID not registered.");

    private static final int FIRST_CODE = -1;
    private static final Errors[] BY_CODE;

    static {
        int max = 0;
        for (Errors e : values()) {
            max = Math.max(max, e.code);
        }
        BY_CODE = new Errors[max - FIRST_CODE + 1];
        for (Errors e : values()) {
            BY_CODE[e.code - FIRST_CODE] = e;
        }
    }

    private final short code;
    private final boolean retriable;
    private final String defaultMessage;

    Errors(int code, boolean retriable, String defaultMessage) {
        this.code = (short) code;
        this.retriable = retriable;
        this.defaultMessage = defaultMessage;
    }

    /** The code sent on the wire. */
    public short code() {
        return code;
    }

    /** Whether Kafka clients retry a request that failed with this error. */
    public boolean retriable() {
        return retriable;
    }

    /** A short human-readable description. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /**
     * The error with the given wire code; codes this table does not know (for example from a newer
     * broker) map to {@link #UNKNOWN_SERVER_ERROR}, as Kafka's clients do.
     */
    public static Errors forCode(short code) {
        int index = code - FIRST_CODE;
        if (index < 0 || index >= BY_CODE.length || BY_CODE[index] == null) {
            return UNKNOWN_SERVER_ERROR;
        }
        return BY_CODE[index];
    }
}
