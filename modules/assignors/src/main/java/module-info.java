/**
 * Kafka's consumer partition assignors as {@link io.fjord.api.consumer.PartitionAssignor}
 * providers: {@code range}, {@code roundrobin}, {@code sticky} and {@code cooperative-sticky}.
 * The consumer protocol's bytes (subscription, assignment, the sticky assignors' user data) are
 * exported for the client that sends them.
 */
module io.fjord.assignors {
    requires io.fjord.api;

    exports io.fjord.assignors.protocol;

    provides io.fjord.api.consumer.PartitionAssignor with
            io.fjord.assignors.RangeAssignor,
            io.fjord.assignors.RoundRobinAssignor,
            io.fjord.assignors.StickyAssignor,
            io.fjord.assignors.CooperativeStickyAssignor;
}
