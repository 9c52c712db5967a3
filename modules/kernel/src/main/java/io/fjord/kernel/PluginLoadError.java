package io.fjord.kernel;

import java.util.Objects;

/**
 * A plugin, or one provider of it, that could not be loaded. Everything else still loads.
 *
 * @param location the plugin folder or jar, or the provider class when the module resolved but
 *     the provider failed
 * @param reason what went wrong, readable as it is
 */
public record PluginLoadError(String location, String reason) {

    public PluginLoadError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return location + ": " + reason;
    }
}
