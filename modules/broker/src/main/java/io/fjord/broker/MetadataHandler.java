package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.controller.BrokerNode;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicImage;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.DescribeClusterRequest;
import io.fjord.protocol.message.DescribeClusterResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Metadata (versions 0 to 13) and DescribeCluster (0 to 2): this node as the only broker and the
 * controller, or in a cluster the live brokers and controller the controller last sent; the cluster id, and for Metadata the requested topics (all of them for a null list,
 * or an empty one in version 0) with their ids, partitions, leader, leader epoch, replicas and ISR.
 *
 * <p>A topic requested by name that does not exist is created when the request allows it and
 * {@code auto.create.topics.enable} is on; otherwise it is answered with UNKNOWN_TOPIC_OR_PARTITION,
 * or INVALID_TOPIC_EXCEPTION for an illegal name. From version 12 a topic may be requested by id (a
 * non-zero id wins over the name, which Kafka's clients leave empty): an unknown id is answered with
 * UNKNOWN_TOPIC_ID and a null name, and never auto-created. Versions 10 and 11 carry ids but, as in
 * Kafka, may not be asked by id: such a topic gets INVALID_REQUEST. Authorized operations are
 * reported when asked for (see {@link AuthorizedOperations}). DescribeCluster answers only for the
 * broker endpoint type, as a broker of Kafka does.
 */
final class MetadataHandler implements ApiFamily {

    /** The first version in which a request may name a topic by id instead of by name. */
    private static final short FIRST_VERSION_BY_ID = 12;
    private static final short FIRST_VERSION_WITH_IDS = 10;
    private static final UUID NO_TOPIC_ID = new UUID(0, 0);
    /** DescribeCluster's endpoint types: the brokers' listeners, or the controllers'. */
    private static final byte BROKER_ENDPOINTS = 1;

    private final MetadataStore store;
    private final LocalNode node;
    private final boolean clusterMember;

    /**
     * @param clusterMember whether this broker is a cluster member: its answers then list the
     *     cluster's live brokers as the controller last told them, none before its first update
     *     (as Kafka's broker does; clients ignore such an answer), never itself alone
     */
    MetadataHandler(MetadataStore store, LocalNode node, boolean clusterMember) {
        this.store = store;
        this.node = node;
        this.clusterMember = clusterMember;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.METADATA, MetadataRequest.class, this::metadata)
                .add(ApiKeys.DESCRIBE_CLUSTER, DescribeClusterRequest.class, this::describeCluster);
    }

    void metadata(NetworkRequest request, MetadataRequest body) {
        short version = request.header().apiVersion();
        List<MetadataRequest.MetadataRequestTopic> requested = body.topics();
        boolean allTopics = requested == null || (version == 0 && requested.isEmpty());
        boolean withOperations = body.includeTopicAuthorizedOperations();

        MetadataImage image = store.image();
        MetadataResponse response = new MetadataResponse()
                .setClusterId(store.clusterId())
                .setControllerId(controllerId(image))
                .setClusterAuthorizedOperations(AuthorizedOperations.ifRequested(
                        body.includeClusterAuthorizedOperations(), AuthorizedOperations.CLUSTER));
        for (BrokerNode b : brokers(image)) {
            response.brokers().add(new MetadataResponse.MetadataResponseBroker()
                    .setNodeId(b.id()).setHost(b.host()).setPort(b.port()).setRack(b.rack()));
        }

        if (allTopics) {
            for (TopicImage topic : image.topicsByName().values()) {
                response.topics().add(topic(image, topic, withOperations));
            }
        } else {
            for (MetadataRequest.MetadataRequestTopic t : requested) {
                String name = t.name();
                UUID id = version >= FIRST_VERSION_WITH_IDS ? t.topicId() : NO_TOPIC_ID;
                // Kafka's clients leave the name empty, not null, when they ask by id: the id decides.
                if (name == null || !id.equals(NO_TOPIC_ID)) {
                    response.topics().add(byId(image, version, name, id, withOperations));
                } else {
                    response.topics().add(byName(image, name, body.allowAutoTopicCreation(), withOperations));
                }
            }
        }
        Responses.send(request, response);
    }

    private MetadataResponse.MetadataResponseTopic byName(MetadataImage image, String name, boolean allowAutoCreate,
            boolean withOperations) {
        TopicImage topic = image.topic(name);
        if (topic == null && allowAutoCreate) {
            try {
                topic = store.autoCreateTopic(name);
            } catch (MetadataException e) {
                return error(name, NO_TOPIC_ID, e.error());
            }
        }
        return topic == null ? error(name, NO_TOPIC_ID, Errors.UNKNOWN_TOPIC_OR_PARTITION)
                : topic(image, topic, withOperations);
    }

    /** A topic asked for by id; versions before 12 have no name to answer an unknown id with. */
    private MetadataResponse.MetadataResponseTopic byId(MetadataImage image, short version, String name,
            UUID id, boolean withOperations) {
        if (version < FIRST_VERSION_BY_ID) {
            return error(name == null ? "" : name, id, Errors.INVALID_REQUEST);
        }
        TopicImage topic = id.equals(NO_TOPIC_ID) ? null : image.topic(id);
        return topic == null ? error(null, id, Errors.UNKNOWN_TOPIC_ID) : topic(image, topic, withOperations);
    }

    private static MetadataResponse.MetadataResponseTopic error(String name, UUID id, Errors error) {
        return new MetadataResponse.MetadataResponseTopic().setErrorCode(error.code()).setName(name).setTopicId(id);
    }

    /** The live brokers: every one of a cluster, or this node alone. */
    private List<BrokerNode> brokers(MetadataImage image) {
        return clusterMember ? List.copyOf(image.brokers().values())
                : List.of(new BrokerNode(node.id(), node.host(), node.port(), null));
    }

    private int controllerId(MetadataImage image) {
        return clusterMember ? image.controllerId() : node.id();
    }

    /**
     * A topic's partitions; in a cluster a replica on a broker that is not live is offline, and a
     * partition whose leader is not live has no leader (LEADER_NOT_AVAILABLE) until the
     * controller elects one.
     */
    private MetadataResponse.MetadataResponseTopic topic(MetadataImage image, TopicImage topic,
            boolean withOperations) {
        MetadataResponse.MetadataResponseTopic t = new MetadataResponse.MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(topic.internal())
                .setTopicAuthorizedOperations(AuthorizedOperations.ifRequested(withOperations, AuthorizedOperations.TOPIC));
        for (PartitionImage p : topic.partitions()) {
            List<Integer> offline = clusterMember
                    ? p.replicas().stream().filter(r -> !image.brokers().containsKey(r)).toList() : List.of();
            int leader = clusterMember && !image.brokers().containsKey(p.leader()) ? -1 : p.leader();
            t.partitions().add(new MetadataResponse.MetadataResponsePartition()
                    .setErrorCode((leader == -1 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code())
                    .setPartitionIndex(p.partition())
                    .setLeaderId(leader)
                    .setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(p.replicas())
                    .setIsrNodes(p.isr())
                    .setOfflineReplicas(new ArrayList<>(offline)));
        }
        return t;
    }

    void describeCluster(NetworkRequest request, DescribeClusterRequest body) {
        DescribeClusterResponse response = new DescribeClusterResponse()
                .setEndpointType(body.endpointType())
                .setClusterId(store.clusterId());
        if (body.endpointType() != BROKER_ENDPOINTS) {
            Errors error = Errors.UNSUPPORTED_ENDPOINT_TYPE;
            response.setErrorCode(error.code()).setErrorMessage("The request was sent to an endpoint of type "
                    + "broker, but it asked for endpoints of type " + body.endpointType());
        } else {
            MetadataImage image = store.image();
            response.setControllerId(controllerId(image))
                    .setClusterAuthorizedOperations(AuthorizedOperations.ifRequested(
                            body.includeClusterAuthorizedOperations(), AuthorizedOperations.CLUSTER));
            for (BrokerNode b : brokers(image)) {
                response.brokers().add(new DescribeClusterResponse.DescribeClusterBroker()
                        .setBrokerId(b.id()).setHost(b.host()).setPort(b.port()).setRack(b.rack()));
            }
        }
        Responses.send(request, response);
    }
}
