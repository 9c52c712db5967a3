package io.fjord.api;

import java.util.Map;

/**
 * The contract every Fjord extension point shares.
 *
 * <p>Life cycle, as the kernel drives it:
 * <ol>
 *   <li>The provider is instantiated through {@link java.util.ServiceLoader}: a public no-argument
 *       constructor (or a static {@code provider()} method in a module). Construction must be cheap
 *       and free of side effects: the kernel also instantiates every provider once, unconfigured, to
 *       read its {@link #name()} for listings, and drops that instance without closing it.</li>
 *   <li>{@link #configure(Map)} is called exactly once, before any other use, with the properties
 *       that sit under the plugin's prefix (for a codec named {@code zstd}: every
 *       {@code compression.zstd.*} key, with that prefix removed). Bad values fail here with a
 *       {@link ConfigException}.</li>
 *   <li>The plugin is used, possibly from several threads at once, unless its extension point
 *       says otherwise.</li>
 *   <li>{@link #close()} is called once when its owner shuts down; it releases what configure
 *       acquired and must not throw for an already released resource.</li>
 * </ol>
 */
public interface Plugin extends AutoCloseable {

    /**
     * The stable name users put in configuration, for example {@code lz4} for
     * {@code compression.type=lz4} or {@code range} for {@code partition.assignment.strategy}.
     * Lower case, no spaces, unique per extension point; never changes between releases.
     */
    String name();

    /**
     * Configures this instance. The map holds only this plugin's properties, prefix removed;
     * it may be empty. The default accepts anything and does nothing.
     *
     * @throws ConfigException if a value is missing, malformed or out of range
     */
    default void configure(Map<String, String> config) {
    }

    /** Releases what {@link #configure(Map)} acquired. The default does nothing. */
    @Override
    default void close() {
    }
}
