package io.fjord.protocol.message;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.schema.Schema;

/**
 * The APIs Fjord speaks: Kafka's key and name, the version range it advertises in ApiVersions, the
 * first flexible version (KIP-482) and the request and response layouts.
 *
 * <p>Invariant: keys and names are Kafka's; every advertised version can be decoded and encoded.
 * Produce is advertised from version 0 because librdkafka checks Produce [0,0] before compressing,
 * but like Kafka 4 a broker only accepts it from {@link #oldestAcceptedVersion()} (3).
 */
public enum ApiKeys {
    PRODUCE(0, "Produce", 0, 7, 3, 9, ProduceSchemas.REQUEST, ProduceSchemas.RESPONSE),
    FETCH(1, "Fetch", 4, 11, 4, 12, FetchSchemas.REQUEST, FetchSchemas.RESPONSE),
    LIST_OFFSETS(2, "ListOffsets", 1, 2, 1, 6, ListOffsetsSchemas.REQUEST, ListOffsetsSchemas.RESPONSE),
    METADATA(3, "Metadata", 0, 13, 0, 9, MetadataSchemas.REQUEST, MetadataSchemas.RESPONSE),
    OFFSET_COMMIT(8, "OffsetCommit", 2, 7, 2, 8, OffsetCommitSchemas.REQUEST, OffsetCommitSchemas.RESPONSE),
    OFFSET_FETCH(9, "OffsetFetch", 1, 7, 1, 6, OffsetFetchSchemas.REQUEST, OffsetFetchSchemas.RESPONSE),
    FIND_COORDINATOR(10, "FindCoordinator", 0, 2, 0, 3, FindCoordinatorSchemas.REQUEST,
            FindCoordinatorSchemas.RESPONSE),
    JOIN_GROUP(11, "JoinGroup", 0, 5, 0, 6, JoinGroupSchemas.REQUEST, JoinGroupSchemas.RESPONSE),
    HEARTBEAT(12, "Heartbeat", 0, 3, 0, 4, HeartbeatSchemas.REQUEST, HeartbeatSchemas.RESPONSE),
    LEAVE_GROUP(13, "LeaveGroup", 0, 4, 0, 4, LeaveGroupSchemas.REQUEST, LeaveGroupSchemas.RESPONSE),
    SYNC_GROUP(14, "SyncGroup", 0, 3, 0, 4, SyncGroupSchemas.REQUEST, SyncGroupSchemas.RESPONSE),
    DESCRIBE_GROUPS(15, "DescribeGroups", 0, 6, 0, 5, DescribeGroupsSchemas.REQUEST,
            DescribeGroupsSchemas.RESPONSE),
    LIST_GROUPS(16, "ListGroups", 0, 5, 0, 3, ListGroupsSchemas.REQUEST, ListGroupsSchemas.RESPONSE),
    SASL_HANDSHAKE(17, "SaslHandshake", 0, 1, 0, Short.MAX_VALUE, SaslHandshakeSchemas.REQUEST,
            SaslHandshakeSchemas.RESPONSE),
    API_VERSIONS(18, "ApiVersions", 0, 4, 0, 3, ApiVersionsSchemas.REQUEST, ApiVersionsSchemas.RESPONSE),
    CREATE_TOPICS(19, "CreateTopics", 2, 7, 2, 5, CreateTopicsSchemas.REQUEST, CreateTopicsSchemas.RESPONSE),
    DELETE_TOPICS(20, "DeleteTopics", 1, 3, 1, 4, DeleteTopicsSchemas.REQUEST, DeleteTopicsSchemas.RESPONSE),
    DELETE_RECORDS(21, "DeleteRecords", 0, 2, 0, 2, DeleteRecordsSchemas.REQUEST,
            DeleteRecordsSchemas.RESPONSE),
    INIT_PRODUCER_ID(22, "InitProducerId", 0, 4, 0, 2, InitProducerIdSchemas.REQUEST,
            InitProducerIdSchemas.RESPONSE),
    DESCRIBE_CONFIGS(32, "DescribeConfigs", 1, 4, 1, 4, DescribeConfigsSchemas.REQUEST,
            DescribeConfigsSchemas.RESPONSE),
    SASL_AUTHENTICATE(36, "SaslAuthenticate", 0, 2, 0, 2, SaslAuthenticateSchemas.REQUEST,
            SaslAuthenticateSchemas.RESPONSE),
    CREATE_PARTITIONS(37, "CreatePartitions", 0, 3, 0, 2, CreatePartitionsSchemas.REQUEST,
            CreatePartitionsSchemas.RESPONSE),
    DELETE_GROUPS(42, "DeleteGroups", 0, 2, 0, 2, DeleteGroupsSchemas.REQUEST, DeleteGroupsSchemas.RESPONSE),
    INCREMENTAL_ALTER_CONFIGS(44, "IncrementalAlterConfigs", 0, 1, 0, 1,
            IncrementalAlterConfigsSchemas.REQUEST, IncrementalAlterConfigsSchemas.RESPONSE),
    OFFSET_DELETE(47, "OffsetDelete", 0, 0, 0, Short.MAX_VALUE, OffsetDeleteSchemas.REQUEST,
            OffsetDeleteSchemas.RESPONSE),
    DESCRIBE_CLUSTER(60, "DescribeCluster", 0, 1, 0, 0, DescribeClusterSchemas.REQUEST,
            DescribeClusterSchemas.RESPONSE);

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
    private final short oldestVersion;
    private final short latestVersion;
    private final short oldestAcceptedVersion;
    private final short firstFlexibleVersion;
    private final Schema requestSchema;
    private final Schema responseSchema;

    ApiKeys(int id, String apiName, int oldestVersion, int latestVersion, int oldestAcceptedVersion,
            int firstFlexibleVersion, Schema requestSchema, Schema responseSchema) {
        this.id = (short) id;
        this.apiName = apiName;
        this.oldestVersion = (short) oldestVersion;
        this.latestVersion = (short) latestVersion;
        this.oldestAcceptedVersion = (short) oldestAcceptedVersion;
        this.firstFlexibleVersion = (short) firstFlexibleVersion;
        this.requestSchema = requestSchema;
        this.responseSchema = responseSchema;
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

    public Schema requestSchema() {
        return requestSchema;
    }

    public Schema responseSchema() {
        return responseSchema;
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
