package io.fjord.log;

import io.fjord.common.testing.MockTime;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottlerTest {

    @Test
    void holdsTheRateOfTheBytesReported() throws InterruptedException {
        MockTime time = new MockTime(0);
        AtomicLong slept = new AtomicLong();
        Throttler throttler = new Throttler(1_000_000, time, ms -> {
            slept.addAndGet(ms);
            time.sleep(ms);
        });
        // 10 MB in 100 KB pieces, each piece taking 1 ms of work: unthrottled that is 100 MB/s.
        for (int i = 0; i < 100; i++) {
            time.sleep(1);
            throttler.maybeThrottle(100_000);
        }
        long elapsedMs = time.milliseconds();
        assertTrue(elapsedMs >= 9_800 && elapsedMs <= 10_100, "10 MB at 1 MB/s took " + elapsedMs + " ms");
        assertTrue(slept.get() >= 9_600, "slept " + slept.get());
    }

    @Test
    void anUnlimitedRateNeverSleeps() throws InterruptedException {
        MockTime time = new MockTime(0);
        AtomicLong slept = new AtomicLong();
        Throttler throttler = new Throttler(Double.MAX_VALUE, time, slept::addAndGet);
        for (int i = 0; i < 100; i++) {
            time.sleep(1);
            throttler.maybeThrottle(100_000_000);
        }
        assertEquals(0, slept.get());
    }
}
