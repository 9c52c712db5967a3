package io.fjord.broker;

import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicImage;
import io.fjord.network.NetworkRequest;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Metadata (versions 0 to 13): this node as the only broker and the controller, the cluster id,
 * and the requested topics (all of them for a null list, or an empty one in version 0) with their
 * ids, partitions, leader, leader epoch, replicas and ISR. A topic requested by name that does
 * not exist is created when the request allows it and {@code auto.create.topics.enable} is on;
 * otherwise it is answered with UNKNOWN_TOPIC_OR_PARTITION, or INVALID_TOPIC_EXCEPTION for an
 * illegal name. From version 12 a topic may be requested by id (a non-zero id wins over the name,
 * which Kafka's clients leave empty): an unknown id is answered with UNKNOWN_TOPIC_ID and a null
 * name, and never auto-created. Versions 10 and 11
 * carry ids but, as in Kafka, may not be asked by id: such a topic gets INVALID_REQUEST.
 */
final class MetadataHandler {

    /** The first version in which a request may name a topic by id instead of by name. */
    private static final short FIRST_VERSION_BY_ID = 12;
    private static final UUID NO_TOPIC_ID = new UUID(0, 0);

    private final Broker broker;

    MetadataHandler(Broker broker) {
        this.broker = broker;
    }

    void handle(NetworkRequest request, Struct body) {
        short version = request.header().apiVersion();
        MetadataStore store = broker.metadataStore();
        List<Struct> requested = body.getStructArray("topics");
        boolean allTopics = requested == null || (version == 0 && requested.isEmpty());
        boolean allowAutoCreate = body.getBoolean("allow_auto_topic_creation");

        Struct response = MessageCodec.newResponse(ApiKeys.METADATA);
        Struct node = response.addElement("brokers");
        node.set("node_id", broker.config().nodeId());
        node.set("host", broker.advertisedHost());
        node.set("port", broker.advertisedPort());
        response.set("cluster_id", store.clusterId());
        response.set("controller_id", broker.config().nodeId());
        response.set("topics", new ArrayList<Struct>());

        MetadataImage image = store.image();
        if (allTopics) {
            for (TopicImage topic : image.topicsByName().values()) {
                addTopic(response, topic);
            }
        } else {
            for (Struct t : requested) {
                String name = t.getString("name");
                UUID id = version >= 10 ? t.getUuid("topic_id") : NO_TOPIC_ID;
                // Kafka's clients leave the name empty, not null, when they ask by id: the id decides.
                if (name == null || !id.equals(NO_TOPIC_ID)) {
                    answerById(response, image, version, name, id);
                    continue;
                }
                TopicImage topic = image.topic(name);
                if (topic == null && allowAutoCreate) {
                    try {
                        topic = store.autoCreateTopic(name);
                    } catch (MetadataException e) {
                        addError(response, name, NO_TOPIC_ID, e.error());
                        continue;
                    }
                }
                if (topic == null) {
                    addError(response, name, NO_TOPIC_ID, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    addTopic(response, topic);
                }
            }
        }
        RequestDispatcher.respond(request, response);
    }

    /** A topic asked for by id; versions before 12 have no name to answer an unknown id with. */
    private static void answerById(Struct response, MetadataImage image, short version, String name, UUID id) {
        if (version < FIRST_VERSION_BY_ID) {
            addError(response, name == null ? "" : name, id, Errors.INVALID_REQUEST);
            return;
        }
        TopicImage topic = id.equals(NO_TOPIC_ID) ? null : image.topic(id);
        if (topic == null) {
            addError(response, null, id, Errors.UNKNOWN_TOPIC_ID);
        } else {
            addTopic(response, topic);
        }
    }

    private static void addError(Struct response, String name, UUID id, Errors error) {
        Struct t = response.addElement("topics");
        t.set("error_code", error.code());
        t.set("name", name);
        t.set("topic_id", id);
        t.set("partitions", new ArrayList<Struct>());
    }

    private static void addTopic(Struct response, TopicImage topic) {
        Struct t = response.addElement("topics");
        t.set("error_code", Errors.NONE.code());
        t.set("name", topic.name());
        t.set("topic_id", topic.id());
        t.set("is_internal", topic.internal());
        t.set("partitions", new ArrayList<Struct>());
        for (PartitionImage p : topic.partitions()) {
            Struct ps = t.addElement("partitions");
            ps.set("error_code", (p.leader() == -1 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code());
            ps.set("partition_index", p.partition());
            ps.set("leader_id", p.leader());
            ps.set("leader_epoch", p.leaderEpoch());
            ps.set("replica_nodes", toArray(p.replicas()));
            ps.set("isr_nodes", toArray(p.isr()));
        }
    }

    private static int[] toArray(List<Integer> ids) {
        int[] a = new int[ids.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ids.get(i);
        }
        return a;
    }
}
