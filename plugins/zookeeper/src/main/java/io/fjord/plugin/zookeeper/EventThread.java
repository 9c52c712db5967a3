package io.fjord.plugin.zookeeper;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread of a session on which every watch and session callback runs, in order. A
 * callback that throws is logged and the next one still runs.
 */
final class EventThread implements Executor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventThread.class.getName());
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final ExecutorService executor;

    EventThread() {
        String name = "fjord-zookeeper-events-" + SESSIONS.incrementAndGet();
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable callback) {
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(() -> {
            try {
                callback.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "A coordination callback failed", e);
            }
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
