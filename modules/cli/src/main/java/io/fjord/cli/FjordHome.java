package io.fjord.cli;

import java.nio.file.Path;

/**
 * Where an installation's folders are. In a jlink image {@code java.home} is the image's root,
 * which holds {@code bin/}, {@code conf/} and {@code plugins/}; {@code FJORD_HOME} (or the system
 * property {@code fjord.home}) overrides it.
 */
final class FjordHome {

    private FjordHome() {
    }

    static Path root() {
        String home = System.getProperty("fjord.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("FJORD_HOME");
        }
        if (home == null || home.isBlank()) {
            home = System.getProperty("java.home");
        }
        return Path.of(home);
    }

    static Path pluginsFolder() {
        return root().resolve("plugins");
    }
}
