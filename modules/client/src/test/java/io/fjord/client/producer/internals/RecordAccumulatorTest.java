package io.fjord.client.producer.internals;

import io.fjord.api.Header;
import io.fjord.api.TopicPartition;
import io.fjord.protocol.record.RecordBatchView;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accumulator on a clock the test sets: every "now" is an argument. */
class RecordAccumulatorTest {

    private static final int BATCH = 1024;
    private static final Header[] NO_HEADERS = new Header[0];
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);
    private static final RecordAccumulator.LeaderLookup ALL_ON_NODE_1 = tp -> 1;
    private static final RecordAccumulator.DrainGate ADMIT_ALL = new RecordAccumulator.DrainGate() {
        @Override
        public boolean mayDrain(ProducerBatch batch, RecordAccumulator.PartitionQueue queue) {
            return true;
        }

        @Override
        public void drained(ProducerBatch batch) {
        }
    };

    private static RecordAccumulator accumulator(long lingerMs, boolean guaranteeOrder) {
        return new RecordAccumulator(BATCH, lingerMs, 100, guaranteeOrder, null, new BufferPool(64 * BATCH, BATCH));
    }

    private static void append(RecordAccumulator accumulator, TopicPartition tp, int valueBytes, long now) throws Exception {
        accumulator.append(tp, now, null, new byte[valueBytes], NO_HEADERS, null, 0, now);
    }

    @Test
    void aBatchWaitsForLingerThenIsReady() throws Exception {
        RecordAccumulator accumulator = accumulator(100, false);
        append(accumulator, P0, 10, 1_000);
        RecordAccumulator.ReadyCheck early = accumulator.ready(ALL_ON_NODE_1, 1_040);
        assertTrue(early.readyNodes().isEmpty());
        assertEquals(60, early.nextCheckDelayMs());
        assertEquals(Set.of(1), accumulator.ready(ALL_ON_NODE_1, 1_100).readyNodes());
    }

    @Test
    void aFullBatchIsReadyAtOnce() throws Exception {
        RecordAccumulator accumulator = accumulator(60_000, false);
        RecordAccumulator.AppendResult last = null;
        for (int i = 0; i < 12; i++) {
            last = accumulator.append(P0, 0, null, new byte[100], NO_HEADERS, null, 0, 0);
        }
        assertTrue(last.batchFull(), "twelve 100-byte records overflow a 1 KiB batch into a second one");
        assertEquals(Set.of(1), accumulator.ready(ALL_ON_NODE_1, 0).readyNodes());
    }

    @Test
    void drainRotatesAcrossPartitionsWithinTheRequestSize() throws Exception {
        RecordAccumulator accumulator = accumulator(0, false);
        for (TopicPartition tp : List.of(P0, P1, P2)) {
            append(accumulator, tp, 500, 0);
        }
        Map<Integer, List<TopicPartition>> byLeader = Map.of(1, List.of(P0, P1, P2));
        // Room for one batch per request: each drain must start after the partition the last one took.
        int oneBatch = 600;
        List<ProducerBatch> first = accumulator.drain(byLeader, Set.of(1), oneBatch, ADMIT_ALL, 0).get(1);
        for (TopicPartition tp : List.of(P0, P1, P2)) {
            append(accumulator, tp, 500, 0);
        }
        List<ProducerBatch> second = accumulator.drain(byLeader, Set.of(1), oneBatch, ADMIT_ALL, 0).get(1);
        List<ProducerBatch> third = accumulator.drain(byLeader, Set.of(1), oneBatch, ADMIT_ALL, 0).get(1);
        assertEquals(P0, first.get(0).partition);
        assertEquals(1, first.size());
        assertEquals(P1, second.get(0).partition);
        assertEquals(P2, third.get(0).partition);
    }

    @Test
    void drainTakesOneBatchPerPartitionAndWritesValidHeaders() throws Exception {
        RecordAccumulator accumulator = accumulator(0, false);
        for (int i = 0; i < 30; i++) {
            append(accumulator, P0, 100, 5_000 + i);
        }
        List<ProducerBatch> drained = accumulator.drain(Map.of(1, List.of(P0)), Set.of(1), 1 << 20, ADMIT_ALL, 0).get(1);
        assertEquals(1, drained.size());
        ByteBuffer wire = drained.get(0).wireBuffer();
        RecordBatchView view = RecordBatchView.wrap(wire);
        assertEquals(drained.get(0).recordCount(), view.recordCount());
        assertEquals(5_000, view.baseTimestamp());
        assertTrue(view.isValid(), "the CRC matches");
    }

    @Test
    void withOrderingGuaranteedADrainedPartitionIsMutedUntilItsBatchReturns() throws Exception {
        RecordAccumulator accumulator = accumulator(0, true);
        append(accumulator, P0, 10, 0);
        Map<Integer, List<TopicPartition>> byLeader = Map.of(1, List.of(P0));
        ProducerBatch inFlight = accumulator.drain(byLeader, Set.of(1), 1 << 20, ADMIT_ALL, 0).get(1).get(0);
        append(accumulator, P0, 10, 0);
        assertTrue(accumulator.ready(ALL_ON_NODE_1, 10).readyNodes().isEmpty(), "muted while a batch is in flight");
        accumulator.batchLeftFlight(inFlight);
        assertEquals(Set.of(1), accumulator.ready(ALL_ON_NODE_1, 10).readyNodes());
    }

    @Test
    void abortingQueuedBatchesRunsCallbacksAndReturnsAllMemory() throws Exception {
        BufferPool pool = new BufferPool(128 * BATCH, BATCH);
        RecordAccumulator accumulator = new RecordAccumulator(BATCH, 0, 100, false, null, pool);
        for (int i = 0; i < 200; i++) {
            append(accumulator, List.of(P0, P1, P2).get(i % 3), 300, 0);
        }
        List<Exception> failures = new java.util.ArrayList<>();
        RecordAccumulator.AppendResult last = accumulator.append(P0, 0, null, new byte[10], NO_HEADERS,
                (metadata, exception) -> failures.add(exception), 0, 0);
        int aborted = accumulator.abortQueued(new IllegalStateException("closed"));
        assertEquals(201, aborted);
        assertEquals(1, failures.size(), "the callback ran once");
        assertTrue(last.future().isDone());
        assertEquals(128 * BATCH, pool.availableMemory());
    }
}
