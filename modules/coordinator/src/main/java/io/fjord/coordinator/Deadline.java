package io.fjord.coordinator;

import io.fjord.timer.TimerTask;

/**
 * A group time-out on the coordinator's timing wheel: a session, a rebalance or sync deadline, or
 * a pending member id's expiry. The action decides under its group's monitor whether it still
 * applies (the group keeps a reference to its live deadlines and drops replaced ones).
 */
final class Deadline extends TimerTask {

    private Runnable action;

    Deadline(long delayMs) {
        super(delayMs);
    }

    /** Set once, before the deadline is added to the timer. */
    void action(Runnable action) {
        this.action = action;
    }

    @Override
    public void run() {
        action.run();
    }
}
