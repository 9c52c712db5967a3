package io.fjord.client.admin;

import java.util.Objects;

/** One incremental config change, with Kafka's operation codes. */
public record AlterConfigOp(String name, String value, OpType op) {

    public enum OpType {
        SET((byte) 0), DELETE((byte) 1), APPEND((byte) 2), SUBTRACT((byte) 3);

        private final byte code;

        OpType(byte code) {
            this.code = code;
        }

        /** Kafka's operation code on the wire. */
        public byte code() {
            return code;
        }
    }

    public AlterConfigOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
    }
}
