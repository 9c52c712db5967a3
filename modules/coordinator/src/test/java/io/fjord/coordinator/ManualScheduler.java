package io.fjord.coordinator;

import io.fjord.log.Scheduler;

import java.util.ArrayList;
import java.util.List;

/** A scheduler that runs nothing until the test says which job to run. */
final class ManualScheduler implements Scheduler {

    private record Job(String name, Runnable task, boolean[] cancelled) {
    }

    private final List<Job> jobs = new ArrayList<>();

    @Override
    public synchronized Cancellable schedule(String name, Runnable task, long delayMs, long periodMs) {
        boolean[] cancelled = new boolean[1];
        jobs.add(new Job(name, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every live job of that name once; returns how many ran. */
    int run(String name) {
        List<Job> due;
        synchronized (this) {
            due = new ArrayList<>(jobs);
        }
        int n = 0;
        for (Job j : due) {
            if (j.name.equals(name) && !j.cancelled[0]) {
                j.task.run();
                n++;
            }
        }
        return n;
    }
}
