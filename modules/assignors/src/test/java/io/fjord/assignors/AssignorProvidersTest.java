package io.fjord.assignors;

import io.fjord.api.consumer.PartitionAssignor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The four providers are found by ServiceLoader under Kafka's names. */
class AssignorProvidersTest {

    @Test
    void serviceLoaderFindsTheFourAssignorsByKafkasNames() {
        // This module provides the service but does not use it; the test may add the use at run time.
        getClass().getModule().addUses(PartitionAssignor.class);
        TreeSet<String> names = new TreeSet<>();
        ServiceLoader.load(PartitionAssignor.class).forEach(a -> names.add(a.name()));
        assertEquals(new TreeSet<>(List.of("cooperative-sticky", "range", "roundrobin", "sticky")), names);
        assertEquals(new TreeSet<>(List.of(new org.apache.kafka.clients.consumer.CooperativeStickyAssignor().name(),
                new org.apache.kafka.clients.consumer.RangeAssignor().name(),
                new org.apache.kafka.clients.consumer.RoundRobinAssignor().name(),
                new org.apache.kafka.clients.consumer.StickyAssignor().name())), names);
    }
}
