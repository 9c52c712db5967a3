package io.fjord.coordinator;

import io.fjord.log.Time;

/** A clock that moves only when the test moves it. */
final class MockTime implements Time {

    private volatile long ms;

    MockTime(long startMs) {
        this.ms = startMs;
    }

    @Override
    public long milliseconds() {
        return ms;
    }

    @Override
    public long nanoseconds() {
        return ms * 1_000_000L;
    }

    void sleep(long deltaMs) {
        ms += deltaMs;
    }
}
