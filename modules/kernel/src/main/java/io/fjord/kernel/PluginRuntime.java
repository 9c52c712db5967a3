package io.fjord.kernel;

import io.fjord.api.Plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Fjord's plugin runtime: discovers providers, creates them by name, closes what it created.
 *
 * <p>Discovery of layers happens once, in {@link #discover}; the providers of each SPI are
 * looked up on first use and kept. To read a provider's {@code name()} the kernel instantiates it
 * once, unconfigured (the {@link Plugin} contract makes construction cheap and side-effect free);
 * {@link #create} makes a fresh instance for use.
 *
 * <p>Thread-safe. {@link #close()} closes the created plugins in reverse order of creation.
 */
public final class PluginRuntime implements AutoCloseable {

    /** A provider found, with the handle to instantiate it again. */
    private record Found(PluginInfo info, ServiceLoader.Provider<? extends Plugin> provider) {
    }

    /** The providers of one SPI and the errors met while loading them. */
    private record Discovered(List<Found> found, List<PluginLoadError> errors) {
    }

    private final ClassLoader imageLoader;
    private final List<PluginFolder.Loaded> folders;
    private final List<PluginLoadError> folderErrors;
    private final Map<Class<?>, Discovered> bySpi = new ConcurrentHashMap<>();
    private final Deque<Plugin> created = new ArrayDeque<>();
    private boolean closed;

    private PluginRuntime(ClassLoader imageLoader, PluginFolder.Result folderResult) {
        this.imageLoader = imageLoader;
        this.folders = List.copyOf(folderResult.loaded());
        this.folderErrors = List.copyOf(folderResult.errors());
    }

    /**
     * Discovers the image's providers and those in {@code pluginsFolder}.
     *
     * @param pluginsFolder the plugins folder; null, or a path that does not exist, means none
     */
    public static PluginRuntime discover(Path pluginsFolder) {
        ClassLoader loader = PluginRuntime.class.getClassLoader();
        ModuleLayer parent = PluginRuntime.class.getModule().getLayer();
        if (parent == null) {
            parent = ModuleLayer.boot();
        }
        return new PluginRuntime(loader, PluginFolder.load(pluginsFolder, parent, loader));
    }

    /**
     * Discovers the image's providers, those in {@code pluginsFolder} and those of the plugin
     * units given one by one (each a folder of jars or a jar, as they would sit in a plugins
     * folder): what a plugin folder adds to an installation before it is dropped in.
     */
    public static PluginRuntime discover(Path pluginsFolder, List<Path> pluginUnits) {
        ClassLoader loader = PluginRuntime.class.getClassLoader();
        ModuleLayer parent = PluginRuntime.class.getModule().getLayer();
        if (parent == null) {
            parent = ModuleLayer.boot();
        }
        PluginFolder.Result inFolder = PluginFolder.load(pluginsFolder, parent, loader);
        PluginFolder.Result given = PluginFolder.loadUnits(pluginUnits, parent, loader);
        List<PluginFolder.Loaded> loaded = new ArrayList<>(inFolder.loaded());
        loaded.addAll(given.loaded());
        List<PluginLoadError> errors = new ArrayList<>(inFolder.errors());
        errors.addAll(given.errors());
        return new PluginRuntime(loader, new PluginFolder.Result(loaded, errors));
    }

    /** Everything found for the built-in extension points, ordered by point, name and origin. */
    public List<PluginInfo> plugins() {
        List<PluginInfo> all = new ArrayList<>();
        for (ExtensionPoint p : ExtensionPoint.BUILT_IN) {
            all.addAll(plugins(p.type()));
        }
        return all;
    }

    /** The providers of one SPI, ordered by name and origin. */
    public List<PluginInfo> plugins(Class<? extends Plugin> spi) {
        return discovered(spi).found.stream().map(Found::info).toList();
    }

    /** Plugins that failed to load: folders or jars that did not resolve, providers that failed. */
    public List<PluginLoadError> errors() {
        List<PluginLoadError> all = new ArrayList<>(folderErrors);
        for (ExtensionPoint p : ExtensionPoint.BUILT_IN) {
            all.addAll(discovered(p.type()).errors);
        }
        return all;
    }

    /** The names available for an SPI. */
    public Set<String> names(Class<? extends Plugin> spi) {
        return discovered(spi).found.stream().map(f -> f.info.name())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Creates, configures and keeps for closing the provider of {@code spi} called {@code name}
     * (its {@code name()}, or its fully qualified class name, as Kafka configurations use).
     *
     * @param config all properties; the plugin receives those under its prefix (see {@link ExtensionPoint})
     * @throws PluginException if no provider or two providers have this name, or it fails to start
     * @throws io.fjord.api.ConfigException if its configuration is invalid
     */
    public <T extends Plugin> T create(Class<T> spi, String name, Map<String, String> config) {
        return create(spi, name, config, true);
    }

    /**
     * As {@link #create(Class, String, Map)}, but the plugin is configured with {@code ownConfig}
     * as it is: for an SPI whose settings do not follow the {@code <prefix><name>.} rule (a
     * coordination engine takes Kafka's {@code zookeeper.*} keys).
     */
    public <T extends Plugin> T createWithConfig(Class<T> spi, String name, Map<String, String> ownConfig) {
        return create(spi, name, ownConfig, false);
    }

    private <T extends Plugin> T create(Class<T> spi, String name, Map<String, String> config, boolean prefixed) {
        ExtensionPoint point = ExtensionPoint.of(spi);
        Found chosen = select(spi, point, name);
        T plugin = spi.cast(instantiate(chosen));
        try {
            plugin.configure(prefixed ? point.configFor(chosen.info.name(), config) : Map.copyOf(config));
        } catch (RuntimeException e) {
            closeQuietly(plugin, e);
            throw e;
        }
        synchronized (this) {
            if (closed) {
                closeQuietly(plugin, null);
                throw new IllegalStateException("The plugin runtime is closed");
            }
            created.push(plugin);
        }
        return plugin;
    }

    /** Closes every plugin this runtime created, newest first. The first failure is rethrown after all closed. */
    @Override
    public void close() {
        List<Plugin> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(created);
            created.clear();
        }
        RuntimeException failure = null;
        for (Plugin p : toClose) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new PluginException("Closing plugin " + p.name() + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Found select(Class<? extends Plugin> spi, ExtensionPoint point, String name) {
        List<Found> all = discovered(spi).found;
        Predicate<Found> byName = f -> f.info.name().equals(name);
        List<Found> matches = all.stream().filter(byName).toList();
        if (matches.isEmpty()) {
            matches = all.stream().filter(f -> f.info.className().equals(name)).toList();
        }
        if (matches.isEmpty()) {
            throw new PluginException("Unknown " + point.kind() + " '" + name + "'. Available: "
                    + (all.isEmpty() ? "none" : String.join(", ", names(spi))));
        }
        if (matches.size() > 1) {
            throw new PluginException("The " + point.kind() + " name '" + name + "' is provided more than once: "
                    + matches.stream().map(f -> f.info.describe()).collect(Collectors.joining(" and "))
                    + ". Remove one of them.");
        }
        return matches.get(0);
    }

    private static Plugin instantiate(Found f) {
        try {
            return f.provider.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new PluginException("Cannot create " + f.info.point().kind() + " '" + f.info.name() + "' "
                    + f.info.describe() + ": " + Causes.chain(e), e);
        }
    }

    private Discovered discovered(Class<? extends Plugin> spi) {
        return bySpi.computeIfAbsent(spi, s -> scan(spi));
    }

    private Discovered scan(Class<? extends Plugin> spi) {
        Module kernel = PluginRuntime.class.getModule();
        if (!kernel.canUse(spi)) {
            kernel.addUses(spi);
        }
        ExtensionPoint point = ExtensionPoint.of(spi);
        List<Found> found = new ArrayList<>();
        List<PluginLoadError> errors = new ArrayList<>();
        collect(point, ServiceLoader.load(spi, imageLoader), null, found, errors);
        for (PluginFolder.Loaded folder : folders) {
            collect(point, ServiceLoader.load(folder.layer(), spi), folder, found, errors);
        }
        found.sort(Comparator.comparing((Found f) -> f.info.name())
                .thenComparing(f -> f.info.origin().kind())
                .thenComparing(f -> f.info.origin().location()));
        return new Discovered(List.copyOf(found), List.copyOf(errors));
    }

    /**
     * Adds the providers a loader yields. For a plugin layer only the layer's own providers count:
     * the loader also walks the parent layers, whose providers the image scan already found.
     */
    private static void collect(ExtensionPoint point, ServiceLoader<? extends Plugin> loader,
                                PluginFolder.Loaded folder, List<Found> found, List<PluginLoadError> errors) {
        String where = folder == null ? "image" : folder.location().toString();
        Iterator<? extends ServiceLoader.Provider<? extends Plugin>> it = loader.stream().iterator();
        // A provider that fails to load is reported and skipped; the loader then goes on to the next.
        int consecutiveFailures = 0;
        while (consecutiveFailures < 100) {
            ServiceLoader.Provider<? extends Plugin> provider;
            try {
                if (!it.hasNext()) {
                    return;
                }
                provider = it.next();
                consecutiveFailures = 0;
            } catch (ServiceConfigurationError e) {
                errors.add(new PluginLoadError(where, point.kind() + " provider: " + Causes.chain(e)));
                consecutiveFailures++;
                continue;
            }
            Module module = provider.type().getModule();
            if (folder != null && module.getLayer() != folder.layer()) {
                continue;
            }
            try {
                found.add(new Found(describe(point, provider, module, folder), provider));
            } catch (BadProvider e) {
                errors.add(new PluginLoadError(provider.type().getName(),
                        point.kind() + " provider from " + where + " " + e.getMessage()));
            }
        }
    }

    /** Instantiates a provider once, unconfigured, to read its name. */
    private static PluginInfo describe(ExtensionPoint point, ServiceLoader.Provider<? extends Plugin> provider,
                                       Module module, PluginFolder.Loaded folder) throws BadProvider {
        String name;
        try {
            name = provider.get().name();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new BadProvider("cannot be instantiated: " + Causes.chain(e));
        }
        if (name == null || name.isBlank()) {
            throw new BadProvider("has no name (name() returned " + (name == null ? "null" : "'" + name + "'") + ")");
        }
        PluginOrigin origin;
        if (folder != null) {
            origin = PluginOrigin.folder(folder.location());
        } else if (module.isNamed()) {
            origin = PluginOrigin.image();
        } else {
            origin = new PluginOrigin(PluginOrigin.Kind.CLASS_PATH, codeSourceOf(provider.type()));
        }
        return new PluginInfo(point, name, provider.type().getName(),
                module.isNamed() ? module.getName() : "unnamed",
                module.isNamed() ? PluginFolder.versionOf(module.getDescriptor()) : "",
                origin, module.isNamed() && module.getDescriptor().isAutomatic());
    }

    private static final class BadProvider extends Exception {
        private static final long serialVersionUID = 1L;

        BadProvider(String message) {
            super(message, null, false, false);
        }
    }

    private static String codeSourceOf(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "";
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return cs.getLocation().toString();
        }
    }

    private static void closeQuietly(Plugin plugin, RuntimeException primary) {
        try {
            plugin.close();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
