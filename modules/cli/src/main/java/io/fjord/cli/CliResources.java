package io.fjord.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Properties files the build puts into io.fjord.cli beside its classes. */
final class CliResources {

    private CliResources() {
    }

    /** The properties of resource {@code name}; a missing one is a broken build. */
    static Properties properties(String name) {
        Properties p = new Properties();
        try (InputStream in = CliResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from io.fjord.cli");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
