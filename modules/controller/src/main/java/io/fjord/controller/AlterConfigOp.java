package io.fjord.controller;

import java.util.Objects;

/**
 * One change of an IncrementalAlterConfigs request for a topic.
 *
 * @param type  what to do
 * @param key   the topic config name
 * @param value the value to set, append or subtract; ignored (may be null) for {@link Type#DELETE}
 */
public record AlterConfigOp(Type type, String key, String value) {

    /** The operations, with Kafka's wire ids ({@code config_operation}). */
    public enum Type {
        /** Set the override to the value. */
        SET(0),
        /** Remove the override, falling back to the broker or built-in default. */
        DELETE(1),
        /** Add the value's elements to a list config, skipping ones already present. */
        APPEND(2),
        /** Remove the value's elements from a list config. */
        SUBTRACT(3);

        private final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        /** The id sent on the wire. */
        public byte id() {
            return id;
        }

        /** The operation with the given wire id, or null for an unknown id. */
        public static Type forId(byte id) {
            for (Type t : values()) {
                if (t.id == id) {
                    return t;
                }
            }
            return null;
        }
    }

    public AlterConfigOp {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
    }
}
