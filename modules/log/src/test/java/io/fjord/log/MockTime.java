package io.fjord.log;

/** A clock that moves only when a test says so. */
final class MockTime implements Time {
    private long ms;
    private long nanos;

    MockTime(long startMs) {
        this.ms = startMs;
    }

    @Override
    public synchronized long milliseconds() {
        return ms;
    }

    @Override
    public synchronized long nanoseconds() {
        return nanos;
    }

    synchronized void sleep(long deltaMs) {
        ms += deltaMs;
        nanos += deltaMs * 1_000_000L;
    }
}
