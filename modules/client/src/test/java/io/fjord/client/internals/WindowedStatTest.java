package io.fjord.client.internals;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Rates, averages and maxima over Kafka's sliding sample window, on a driven clock. */
class WindowedStatTest {

    @Test
    void aRateCoversAtLeastAllButTheCurrentSampleAndForgetsExpiredOnes() {
        WindowedStat stat = new WindowedStat(1_000, 2);
        stat.record(100, 0);
        // Only 10 ms have passed, but the rate is taken over one full window at least.
        assertEquals(100.0, stat.rate(10), 1e-9);
        stat.record(300, 1_500);
        assertEquals(400_000.0 / 1_900, stat.rate(1_900), 1e-9, "both samples live, over the time since the oldest");
        // From 2,000 ms the first sample (started at 0) has expired; the second holds 300 over one window.
        assertEquals(300.0, stat.rate(2_100), 1e-9);
        assertEquals(0.0, stat.rate(10_000), 1e-9, "everything expired");
    }

    @Test
    void averageAndMaximumAreOfTheLiveSamplesOnly() {
        WindowedStat stat = new WindowedStat(1_000, 2);
        stat.record(10, 0);
        stat.record(30, 500);
        stat.record(2, 1_200);
        assertEquals(14.0, stat.avg(1_300), 1e-9);
        assertEquals(30.0, stat.max(1_300), 1e-9);
        assertEquals(2.0, stat.avg(2_100), 1e-9, "the sample of 0-1,000 ms expired at 2,000 ms");
        assertEquals(2.0, stat.max(2_100), 1e-9);
        assertEquals(0.0, new WindowedStat(1_000, 2).avg(0), 1e-9);
        assertEquals(0.0, new WindowedStat(1_000, 2).max(0), 1e-9);
    }

    @Test
    void aWindowNeedsALengthAndTwoSamples() {
        assertThrows(IllegalArgumentException.class, () -> new WindowedStat(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new WindowedStat(1_000, 1));
    }
}
