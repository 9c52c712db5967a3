package io.fjord.coordinator;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import static io.fjord.coordinator.CoordinatorHarness.join;
import static io.fjord.coordinator.CoordinatorHarness.protocols;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fjord.common.errors.Errors;
import io.fjord.timer.Timer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When {@code __consumer_offsets} cannot be created (its replication factor exceeds the live
 * brokers), every group request answers COORDINATOR_NOT_AVAILABLE, and the coordinator tries the
 * creation again on the next request rather than remembering the failure.
 */
class OffsetsTopicUnavailableTest {

    @Test
    void groupRequestsAnswerCoordinatorNotAvailableUntilTheTopicCanBeCreated() throws Exception {
        AtomicBoolean creatable = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        OffsetsTopicCreator creator = () -> {
            attempts.incrementAndGet();
            if (!creatable.get()) {
                throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE,
                        "offsets.topic.replication.factor is above the live brokers");
            }
            return 1;
        };
        MockTime time = new MockTime(0);
        GroupCoordinator coordinator = new GroupCoordinator(GroupCoordinatorConfig.DEFAULTS, null, creator, tp -> true, time,
                new Timer("test", time::milliseconds), new ManualScheduler(time));
        coordinator.startup(0);
        try {
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, coordinator.findCoordinator("g"));
            AtomicReference<JoinGroupResult> joined = new AtomicReference<>();
            coordinator.joinGroup(join("g", "", null, 10_000, 10_000, protocols("range")), joined::set);
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, joined.get().error());
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, coordinator.heartbeat("g", "m", null, 1));
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, coordinator.fetchOffsets("g", null).error());
            AtomicReference<Map<String, Errors>> deleted = new AtomicReference<>();
            coordinator.deleteGroups(List.of("g"), deleted::set);
            assertEquals(Map.of("g", Errors.COORDINATOR_NOT_AVAILABLE), deleted.get());
            assertEquals(5, attempts.get(), "every request tries again");

            creatable.set(true);
            assertEquals(Errors.NONE, coordinator.findCoordinator("g"));
            assertEquals(Errors.NONE, coordinator.fetchOffsets("g", null).error());
            assertEquals(6, attempts.get(), "once created, the topic is not created again");
        } finally {
            coordinator.shutdown();
        }
    }
}
