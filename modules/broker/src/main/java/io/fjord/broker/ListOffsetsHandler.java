package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.log.LogException;
import io.fjord.log.PartitionLog;
import io.fjord.log.TimestampOffset;
import io.fjord.network.NetworkRequest;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
import io.fjord.replication.Partition;

import java.util.ArrayList;

/**
 * ListOffsets (versions 1 and 2): -2 (earliest) answers the log start offset, -1 (latest) the high
 * watermark, both with timestamp -1; a real timestamp answers the first record at or after it, or
 * offset and timestamp -1 when there is none. The max-timestamp query (-3) needs version 7, which
 * is not advertised, so any other negative value is an INVALID_REQUEST.
 */
final class ListOffsetsHandler {

    private final Broker broker;

    ListOffsetsHandler(Broker broker) {
        this.broker = broker;
    }

    void handle(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.LIST_OFFSETS);
        response.set("topics", new ArrayList<Struct>());
        for (Struct topic : body.getStructArray("topics")) {
            String name = topic.getString("name");
            Struct rt = response.addElement("topics");
            rt.set("name", name);
            rt.set("partitions", new ArrayList<Struct>());
            for (Struct p : topic.getStructArray("partitions")) {
                int index = p.getInt("partition_index");
                Struct rp = rt.addElement("partitions");
                rp.set("partition_index", index);
                lookUp(broker.partitionFor(new TopicPartition(name, index)), p.getLong("timestamp"), rp);
            }
        }
        RequestDispatcher.respond(request, response);
    }

    private static void lookUp(Partition partition, long timestamp, Struct rp) {
        rp.set("timestamp", -1L);
        rp.set("offset", -1L);
        if (partition == null) {
            rp.set("error_code", Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            return;
        }
        if (timestamp == PartitionLog.EARLIEST_TIMESTAMP) {
            rp.set("offset", partition.logStartOffset());
        } else if (timestamp == PartitionLog.LATEST_TIMESTAMP) {
            rp.set("offset", partition.highWatermark());
        } else if (timestamp < 0) {
            rp.set("error_code", Errors.INVALID_REQUEST.code());
            return;
        } else {
            try {
                TimestampOffset found = partition.log().offsetForTimestamp(timestamp);
                if (found != null && found.offset() < partition.highWatermark()) {
                    rp.set("timestamp", found.timestamp());
                    rp.set("offset", found.offset());
                }
            } catch (LogException e) {
                rp.set("error_code", e.error().code());
                return;
            }
        }
        rp.set("error_code", Errors.NONE.code());
    }
}
