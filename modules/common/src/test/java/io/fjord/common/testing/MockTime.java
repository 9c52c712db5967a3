package io.fjord.common.testing;

import io.fjord.common.Time;

/** A clock that moves only when a test moves it; readable from any thread. */
public final class MockTime implements Time {
    private volatile long ms;
    private volatile long nanos;

    public MockTime(long startMs) {
        this.ms = startMs;
    }

    @Override
    public long milliseconds() {
        return ms;
    }

    @Override
    public long nanoseconds() {
        return nanos;
    }

    /** Moves both clocks forward by {@code deltaMs}. */
    public synchronized void sleep(long deltaMs) {
        ms += deltaMs;
        nanos += deltaMs * 1_000_000L;
    }
}
