package io.fjord.coordinator;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.WireReader;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the topic list of a consumer-protocol subscription (the member metadata of a group whose
 * protocol type is "consumer"), the one thing the broker needs from those otherwise opaque bytes:
 * OffsetDelete refuses to delete offsets of topics the group subscribes to.
 *
 * <p>Layout (every version, never flexible): {@code INT16 version}, {@code topics[STRING]} (INT32
 * count, then INT16-length strings), then fields this reader ignores.
 */
final class ConsumerSubscriptions {

    private ConsumerSubscriptions() {
    }

    /**
     * The subscribed topics, or null when the bytes are not a consumer subscription.
     *
     * <p>Buffer ownership: {@code metadata} is read, not kept.
     */
    static Set<String> topics(byte[] metadata) {
        try {
            WireReader in = new WireReader(ByteBuffer.wrap(metadata), Errors.INVALID_REQUEST);
            if (in.readShort() < 0) {
                return null;
            }
            int count = in.readArrayLength(false, false, 2);
            Set<String> topics = new HashSet<>();
            for (int i = 0; i < count; i++) {
                String topic = in.readString(false, false);
                topics.add(topic);
            }
            return topics;
        } catch (ProtocolException e) {
            return null;
        }
    }
}
