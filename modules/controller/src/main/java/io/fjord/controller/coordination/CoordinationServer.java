package io.fjord.controller.coordination;

import io.fjord.api.Plugin;

import java.nio.file.Path;

/**
 * Runs the coordination engine's own server from a Fjord installation ({@code fjord zookeeper}),
 * so a user needs nothing but Fjord to run a cluster.
 */
public interface CoordinationServer extends Plugin {

    /** A running server. */
    interface Running extends AutoCloseable {

        /** The address clients connect to, {@code host:port}. */
        String connectString();

        /** Blocks until the server stops. */
        void awaitStop() throws InterruptedException;

        /** Stops the server. */
        @Override
        void close();
    }

    /**
     * Starts a server from the engine's own configuration file (ZooKeeper: {@code zoo.cfg}, one
     * standalone server or one member of an ensemble), or with the engine's defaults for a
     * single development server when {@code configFile} is null.
     */
    Running start(Path configFile) throws Exception;
}
