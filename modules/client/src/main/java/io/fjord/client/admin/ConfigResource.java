package io.fjord.client.admin;

import java.util.Objects;

/** What a config belongs to: a topic or a broker, with Kafka's resource type codes. */
public record ConfigResource(Type type, String name) {

    public enum Type {
        TOPIC((byte) 2), BROKER((byte) 4);

        private final byte code;

        Type(byte code) {
            this.code = code;
        }

        /** Kafka's resource type code on the wire. */
        public byte code() {
            return code;
        }

        /** The type of a wire code: 2 a topic, anything else a broker. */
        public static Type of(byte code) {
            return code == 2 ? TOPIC : BROKER;
        }
    }

    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }
}
