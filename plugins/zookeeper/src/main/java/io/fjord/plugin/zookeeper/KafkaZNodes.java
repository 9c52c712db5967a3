package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.ProducerIdBlock;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data of the znodes this engine writes itself, byte for byte as Kafka's ZooKeeper mode wrote
 * them, so Kafka's tools and an operator's habits read them: {@code /controller} is
 * {@code {"version":1,"brokerid":N,"timestamp":"<ms>"}}, {@code /controller_epoch} the epoch in
 * decimal, {@code /latest_producer_id_block}
 * {@code {"version":1,"broker":N,"block_start":"<first>","block_end":"<last>"}} (inclusive, as strings).
 */
final class KafkaZNodes {

    private static final Pattern BROKER_ID = Pattern.compile("\"brokerid\"\\s*:\\s*(-?\\d+)");
    private static final Pattern BLOCK_END = Pattern.compile("\"block_end\"\\s*:\\s*\"?(-?\\d+)\"?");

    private KafkaZNodes() {
    }

    static byte[] controller(int brokerId, long timestampMs) {
        return ("{\"version\":1,\"brokerid\":" + brokerId + ",\"timestamp\":\"" + timestampMs + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The broker id in {@code /controller}'s data, or empty when it names none. */
    static OptionalInt controllerId(byte[] data) {
        Matcher m = BROKER_ID.matcher(new String(data, StandardCharsets.UTF_8));
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    static byte[] controllerEpoch(int epoch) {
        return Integer.toString(epoch).getBytes(StandardCharsets.UTF_8);
    }

    static int controllerEpoch(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new CoordinationException(CoordinationException.Reason.CONDITION_FAILED, ClusterPaths.CONTROLLER_EPOCH,
                    "The controller epoch is not a number: '" + text + "'");
        }
    }

    static byte[] producerIdBlock(ProducerIdBlock block) {
        return ("{\"version\":1,\"broker\":" + block.brokerId() + ",\"block_start\":\"" + block.firstId()
                + "\",\"block_end\":\"" + block.lastId() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The last id handed out, from {@code /latest_producer_id_block}'s data. */
    static long lastProducerId(byte[] data) {
        Matcher m = BLOCK_END.matcher(new String(data, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new CoordinationException(CoordinationException.Reason.CONDITION_FAILED, ClusterPaths.PRODUCER_ID_BLOCK,
                    "The latest producer-id block has no block_end: " + new String(data, StandardCharsets.UTF_8));
        }
        return Long.parseLong(m.group(1));
    }
}
