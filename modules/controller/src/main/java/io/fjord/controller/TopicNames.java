package io.fjord.controller;

import io.fjord.common.errors.Errors;

import java.util.Set;

/**
 * Kafka's rules for topic names: legal characters, length, the reserved names, the internal
 * topics, and the collision of names that differ only in {@code .} versus {@code _} (both map to
 * the same metric names, so Kafka refuses the second one).
 */
public final class TopicNames {

    /** The longest legal topic name: a partition folder name must fit 255 bytes. */
    public static final int MAX_NAME_LENGTH = 249;

    /** Where group offsets and group metadata are kept. */
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";
    /** Where transaction coordinators keep their state. */
    public static final String TRANSACTION_STATE = "__transaction_state";
    /** Where share-group state is kept. */
    public static final String SHARE_GROUP_STATE = "__share_group_state";
    /** KRaft's own metadata log; never a user topic. */
    public static final String CLUSTER_METADATA = "__cluster_metadata";

    private static final Set<String> INTERNAL = Set.of(CONSUMER_OFFSETS, TRANSACTION_STATE, SHARE_GROUP_STATE);

    private TopicNames() {
    }

    /**
     * Checks a topic name against Kafka's rules.
     *
     * @throws MetadataException with {@link Errors#INVALID_TOPIC_EXCEPTION} and Kafka's message
     */
    public static void validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new MetadataException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is invalid: " + problem);
        }
    }

    /** Whether the name is a legal topic name. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "the empty string is not allowed";
        }
        if (name.equals(".")) {
            return "'.' is not allowed";
        }
        if (name.equals("..")) {
            return "'..' is not allowed";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "the length of '" + name + "' is longer than the max allowed length " + MAX_NAME_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isLegalChar(name.charAt(i))) {
                return "'" + name + "' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    private static boolean isLegalChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    /** Whether Kafka treats the topic as internal (clients hide it unless asked). */
    public static boolean isInternal(String name) {
        return INTERNAL.contains(name);
    }

    /** The name with every {@code .} replaced by {@code _}: two topics may not share this form. */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }

    /** Whether the two different names would collide in metric names. */
    public static boolean collide(String a, String b) {
        return collisionKey(a).equals(collisionKey(b));
    }
}
