package io.fjord.plugin.zookeeper;

/**
 * Runs code with the plugin's class loader as the thread's context class loader: ZooKeeper loads
 * its metrics provider and other pluggable classes through it, and threads started meanwhile
 * inherit it. In a plugin folder the caller's context loader cannot see ZooKeeper's classes.
 */
final class PluginContext {

    /** Code that may throw {@code E}. */
    @FunctionalInterface
    interface Body<T, E extends Exception> {
        T run() throws E;
    }

    private PluginContext() {
    }

    static <T, E extends Exception> T call(Body<T, E> body) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PluginContext.class.getClassLoader());
        try {
            return body.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
