package io.fjord.protocol.message;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import java.util.function.Supplier;

/**
 * The APIs Fjord speaks: Kafka's key and name, and the generated request and response classes,
 * whose versions are the ones advertised in ApiVersions for the APIs a broker routes. Speaking an
 * API is not serving it: a broker advertises only what it routes, and the inter-broker APIs
 * (LeaderAndIsr, StopReplica, UpdateMetadata, ControlledShutdown, AlterPartition) are for Fjord's
 * controller and brokers only. The ZooKeeper-era ones, which Kafka 4 removed, have only their newest
 * version (Kafka 3.9's), since only Fjord's own nodes send them.
 *
 * <p>Invariant: keys and names are Kafka's; a request class and its response class declare the
 * same versions and the same first flexible version (a test checks it). Produce is advertised from
 * version 0 because librdkafka checks Produce [0,0] before compressing, but like Kafka 4 a broker
 * only accepts it from {@link #oldestAcceptedVersion()} (3).
 */
public enum ApiKeys {
    PRODUCE(0, "Produce", ProduceRequest::new, ProduceResponse::new, 3),
    FETCH(1, "Fetch", FetchRequest::new, FetchResponse::new),
    LIST_OFFSETS(2, "ListOffsets", ListOffsetsRequest::new, ListOffsetsResponse::new),
    METADATA(3, "Metadata", MetadataRequest::new, MetadataResponse::new),
    LEADER_AND_ISR(4, "LeaderAndIsr", LeaderAndIsrRequest::new, LeaderAndIsrResponse::new),
    STOP_REPLICA(5, "StopReplica", StopReplicaRequest::new, StopReplicaResponse::new),
    UPDATE_METADATA(6, "UpdateMetadata", UpdateMetadataRequest::new, UpdateMetadataResponse::new),
    CONTROLLED_SHUTDOWN(7, "ControlledShutdown", ControlledShutdownRequest::new, ControlledShutdownResponse::new),
    OFFSET_COMMIT(8, "OffsetCommit", OffsetCommitRequest::new, OffsetCommitResponse::new),
    OFFSET_FETCH(9, "OffsetFetch", OffsetFetchRequest::new, OffsetFetchResponse::new),
    FIND_COORDINATOR(10, "FindCoordinator", FindCoordinatorRequest::new, FindCoordinatorResponse::new),
    JOIN_GROUP(11, "JoinGroup", JoinGroupRequest::new, JoinGroupResponse::new),
    HEARTBEAT(12, "Heartbeat", HeartbeatRequest::new, HeartbeatResponse::new),
    LEAVE_GROUP(13, "LeaveGroup", LeaveGroupRequest::new, LeaveGroupResponse::new),
    SYNC_GROUP(14, "SyncGroup", SyncGroupRequest::new, SyncGroupResponse::new),
    DESCRIBE_GROUPS(15, "DescribeGroups", DescribeGroupsRequest::new, DescribeGroupsResponse::new),
    LIST_GROUPS(16, "ListGroups", ListGroupsRequest::new, ListGroupsResponse::new),
    SASL_HANDSHAKE(17, "SaslHandshake", SaslHandshakeRequest::new, SaslHandshakeResponse::new),
    API_VERSIONS(18, "ApiVersions", ApiVersionsRequest::new, ApiVersionsResponse::new),
    CREATE_TOPICS(19, "CreateTopics", CreateTopicsRequest::new, CreateTopicsResponse::new),
    DELETE_TOPICS(20, "DeleteTopics", DeleteTopicsRequest::new, DeleteTopicsResponse::new),
    DELETE_RECORDS(21, "DeleteRecords", DeleteRecordsRequest::new, DeleteRecordsResponse::new),
    INIT_PRODUCER_ID(22, "InitProducerId", InitProducerIdRequest::new, InitProducerIdResponse::new),
    OFFSET_FOR_LEADER_EPOCH(23, "OffsetForLeaderEpoch", OffsetForLeaderEpochRequest::new,
            OffsetForLeaderEpochResponse::new),
    DESCRIBE_CONFIGS(32, "DescribeConfigs", DescribeConfigsRequest::new, DescribeConfigsResponse::new),
    ALTER_CONFIGS(33, "AlterConfigs", AlterConfigsRequest::new, AlterConfigsResponse::new),
    DESCRIBE_LOG_DIRS(35, "DescribeLogDirs", DescribeLogDirsRequest::new, DescribeLogDirsResponse::new),
    SASL_AUTHENTICATE(36, "SaslAuthenticate", SaslAuthenticateRequest::new, SaslAuthenticateResponse::new),
    CREATE_PARTITIONS(37, "CreatePartitions", CreatePartitionsRequest::new, CreatePartitionsResponse::new),
    DELETE_GROUPS(42, "DeleteGroups", DeleteGroupsRequest::new, DeleteGroupsResponse::new),
    ELECT_LEADERS(43, "ElectLeaders", ElectLeadersRequest::new, ElectLeadersResponse::new),
    INCREMENTAL_ALTER_CONFIGS(44, "IncrementalAlterConfigs", IncrementalAlterConfigsRequest::new,
            IncrementalAlterConfigsResponse::new),
    ALTER_PARTITION_REASSIGNMENTS(45, "AlterPartitionReassignments", AlterPartitionReassignmentsRequest::new,
            AlterPartitionReassignmentsResponse::new),
    LIST_PARTITION_REASSIGNMENTS(46, "ListPartitionReassignments", ListPartitionReassignmentsRequest::new,
            ListPartitionReassignmentsResponse::new),
    OFFSET_DELETE(47, "OffsetDelete", OffsetDeleteRequest::new, OffsetDeleteResponse::new),
    ALTER_PARTITION(56, "AlterPartition", AlterPartitionRequest::new, AlterPartitionResponse::new),
    DESCRIBE_CLUSTER(60, "DescribeCluster", DescribeClusterRequest::new, DescribeClusterResponse::new),
    DESCRIBE_TOPIC_PARTITIONS(75, "DescribeTopicPartitions", DescribeTopicPartitionsRequest::new,
            DescribeTopicPartitionsResponse::new);

    private static final ApiKeys[] BY_ID;

    static {
        int max = 0;
        for (ApiKeys api : values()) {
            max = Math.max(max, api.id);
        }
        BY_ID = new ApiKeys[max + 1];
        for (ApiKeys api : values()) {
            BY_ID[api.id] = api;
        }
    }

    private final short id;
    private final String apiName;
    private final Supplier<ApiMessage> newRequest;
    private final Supplier<ApiMessage> newResponse;
    private final short oldestVersion;
    private final short latestVersion;
    private final short oldestAcceptedVersion;
    private final short firstFlexibleVersion;

    ApiKeys(int id, String apiName, Supplier<ApiMessage> newRequest, Supplier<ApiMessage> newResponse) {
        this(id, apiName, newRequest, newResponse, -1);
    }

    ApiKeys(int id, String apiName, Supplier<ApiMessage> newRequest, Supplier<ApiMessage> newResponse,
            int oldestAcceptedVersion) {
        ApiMessage sample = newRequest.get();
        this.id = (short) id;
        this.apiName = apiName;
        this.newRequest = newRequest;
        this.newResponse = newResponse;
        this.oldestVersion = sample.lowestVersion();
        this.latestVersion = sample.highestVersion();
        this.firstFlexibleVersion = sample.firstFlexibleVersion();
        this.oldestAcceptedVersion = oldestAcceptedVersion < 0 ? oldestVersion : (short) oldestAcceptedVersion;
    }

    /** The API key on the wire. */
    public short id() {
        return id;
    }

    /** Kafka's name for the API, such as {@code "Produce"}. */
    public String apiName() {
        return apiName;
    }

    /** The lowest version advertised in ApiVersions. */
    public short oldestVersion() {
        return oldestVersion;
    }

    /** The highest version advertised in ApiVersions. */
    public short latestVersion() {
        return latestVersion;
    }

    /** The lowest version a broker processes; below it (Produce 0 to 2) it answers UNSUPPORTED_VERSION. */
    public short oldestAcceptedVersion() {
        return oldestAcceptedVersion;
    }

    /** The first flexible version, or {@code Short.MAX_VALUE} if the API has none. */
    public short firstFlexibleVersion() {
        return firstFlexibleVersion;
    }

    public boolean isVersionSupported(short version) {
        return version >= oldestVersion && version <= latestVersion;
    }

    /** Whether {@code version} uses compact encodings and tagged fields; defined for any version. */
    public boolean isFlexible(short version) {
        return version >= firstFlexibleVersion;
    }

    /** Request header v2 for flexible versions, v1 otherwise. */
    public short requestHeaderVersion(short version) {
        return isFlexible(version) ? (short) 2 : (short) 1;
    }

    /**
     * Response header v1 for flexible versions, v0 otherwise; ApiVersions always uses v0 so that a
     * client can read the answer before it knows which versions the broker speaks.
     */
    public short responseHeaderVersion(short version) {
        if (this == API_VERSIONS) {
            return 0;
        }
        return isFlexible(version) ? (short) 1 : (short) 0;
    }

    /** A new request body of this API, every field at its default. */
    public ApiMessage newRequest() {
        return newRequest.get();
    }

    /** A new response body of this API, every field at its default. */
    public ApiMessage newResponse() {
        return newResponse.get();
    }

    /** Throws {@link Errors#UNSUPPORTED_VERSION} unless the version is advertised. */
    public void checkVersion(short version) {
        if (!isVersionSupported(version)) {
            throw new ProtocolException(Errors.UNSUPPORTED_VERSION, apiName + " version " + version
                    + " is not supported (" + oldestVersion + " to " + latestVersion + ")");
        }
    }

    /** The API with the given key, or {@code null} if Fjord does not speak it. */
    public static ApiKeys forIdOrNull(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** The API with the given key; an unknown key is an {@link Errors#INVALID_REQUEST}. */
    public static ApiKeys forId(int id) {
        ApiKeys api = forIdOrNull(id);
        if (api == null) {
            throw new ProtocolException(Errors.INVALID_REQUEST, "unknown API key " + id);
        }
        return api;
    }
}
