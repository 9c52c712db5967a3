package io.fjord.controller.coordination;

/**
 * Where the cluster keeps its state in the coordination store: Kafka's ZooKeeper-mode layout,
 * so an operator who knew it finds the same entries.
 *
 * <pre>
 * /cluster/id                          the cluster id
 * /controller                          the active controller (dies with its session)
 * /controller_epoch                    the controller epoch; its version is the fencing token
 * /brokers/ids/&lt;id&gt;                    a live broker's registration (dies with its session)
 * /brokers/topics/&lt;topic&gt;              the topic's id and replica assignment
 * /brokers/topics/&lt;topic&gt;/partitions/&lt;p&gt;/state   leader, leader epoch, ISR; its version is the partition epoch
 * /admin/delete_topics/&lt;topic&gt;         a topic deletion waiting for the controller
 * /admin/reassign_partitions           reassignments in progress
 * /config/topics/&lt;topic&gt;               a topic's config overrides
 * /config/brokers/&lt;id&gt; or &lt;default&gt;    dynamic broker configs
 * /config/changes/config_change_&lt;n&gt;    config change notifications
 * /latest_producer_id_block            the last producer-id block handed out
 * </pre>
 */
public final class ClusterPaths {

    public static final String CLUSTER_ID = "/cluster/id";
    public static final String CONTROLLER = "/controller";
    public static final String CONTROLLER_EPOCH = "/controller_epoch";
    public static final String BROKER_IDS = "/brokers/ids";
    public static final String TOPICS = "/brokers/topics";
    public static final String DELETE_TOPICS = "/admin/delete_topics";
    public static final String REASSIGN_PARTITIONS = "/admin/reassign_partitions";
    public static final String TOPIC_CONFIGS = "/config/topics";
    public static final String BROKER_CONFIGS = "/config/brokers";
    public static final String DEFAULT_BROKER_CONFIG = "<default>";
    public static final String CONFIG_CHANGES = "/config/changes";
    public static final String CONFIG_CHANGE_PREFIX = CONFIG_CHANGES + "/config_change_";
    public static final String PRODUCER_ID_BLOCK = "/latest_producer_id_block";

    private ClusterPaths() {
    }

    public static String broker(int id) {
        return BROKER_IDS + "/" + id;
    }

    public static String topic(String topic) {
        return TOPICS + "/" + topic;
    }

    public static String partitions(String topic) {
        return topic(topic) + "/partitions";
    }

    public static String partition(String topic, int partition) {
        return partitions(topic) + "/" + partition;
    }

    public static String partitionState(String topic, int partition) {
        return partition(topic, partition) + "/state";
    }

    public static String deleteTopic(String topic) {
        return DELETE_TOPICS + "/" + topic;
    }

    public static String topicConfig(String topic) {
        return TOPIC_CONFIGS + "/" + topic;
    }

    /** The dynamic configs of one broker, or of every broker when {@code brokerId} is null. */
    public static String brokerConfig(Integer brokerId) {
        return BROKER_CONFIGS + "/" + (brokerId == null ? DEFAULT_BROKER_CONFIG : brokerId.toString());
    }
}
