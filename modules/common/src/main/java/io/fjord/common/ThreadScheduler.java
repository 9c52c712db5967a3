package io.fjord.common;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link Scheduler} on a small pool of daemon threads (Kafka's {@code background.threads}).
 * A failing task is logged and, if periodic, runs again at its next period.
 */
public final class ThreadScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ThreadScheduler.class.getName());

    private final ScheduledThreadPoolExecutor executor;

    /** Starts {@code threads} daemon threads named {@code prefix-N}. */
    public ThreadScheduler(int threads, String prefix) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + "-" + counter.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        executor = new ScheduledThreadPoolExecutor(threads, factory);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(String name, Runnable task, long delayMs, long periodMs) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "background task " + name + " failed", e);
            }
        };
        ScheduledFuture<?> future = periodMs > 0
                ? executor.scheduleAtFixedRate(guarded, delayMs, periodMs, TimeUnit.MILLISECONDS)
                : executor.schedule(guarded, delayMs, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the threads; tasks not yet started are dropped, a running one is let finish. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }
}
