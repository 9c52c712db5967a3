package io.fjord.broker;

/**
 * The authorized operations a response reports when a client asks for them (Metadata,
 * DescribeCluster, DescribeGroups, DescribeTopicPartitions): with no authorizer configured, as in
 * Kafka, every operation a resource type supports, as a bit field of Kafka's ACL operation codes.
 * A field nobody asked for keeps its default, {@link #NOT_REQUESTED}.
 */
final class AuthorizedOperations {

    /** What a response carries when the request did not ask. */
    static final int NOT_REQUESTED = Integer.MIN_VALUE;

    // Kafka's AclOperation codes.
    private static final int READ = 3;
    private static final int WRITE = 4;
    private static final int CREATE = 5;
    private static final int DELETE = 6;
    private static final int ALTER = 7;
    private static final int DESCRIBE = 8;
    private static final int CLUSTER_ACTION = 9;
    private static final int DESCRIBE_CONFIGS = 10;
    private static final int ALTER_CONFIGS = 11;
    private static final int IDEMPOTENT_WRITE = 12;

    /** Everything a topic supports. */
    static final int TOPIC = bits(READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    /** Everything the cluster supports. */
    static final int CLUSTER = bits(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE,
            ALTER, DESCRIBE);
    /** Everything a group supports. */
    static final int GROUP = bits(READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS);

    private AuthorizedOperations() {
    }

    private static int bits(int... codes) {
        int field = 0;
        for (int code : codes) {
            field |= 1 << code;
        }
        return field;
    }

    /** {@code operations} if the client asked, else {@link #NOT_REQUESTED}. */
    static int ifRequested(boolean requested, int operations) {
        return requested ? operations : NOT_REQUESTED;
    }
}
