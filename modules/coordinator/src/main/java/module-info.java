/**
 * The group coordinator: the classic consumer-group protocol (join, sync, heartbeat, leave,
 * static membership) and the committed offsets and group metadata it keeps in the internal
 * {@code __consumer_offsets} topic, in Kafka's own record layout, replayed on start-up.
 */
module io.fjord.coordinator {
    // Transitive: the coordinator is built over the broker's ReplicaManager and reports Errors.
    requires transitive io.fjord.replication;
    requires transitive io.fjord.timer;
    requires transitive io.fjord.protocol;

    exports io.fjord.coordinator;
}
