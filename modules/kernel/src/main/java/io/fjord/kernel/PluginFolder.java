package io.fjord.kernel;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a plugins folder into module layers: each sub-folder (a folder of jars) and each jar
 * directly inside becomes one child layer of the parent layer, with one class loader.
 *
 * <p>Resolution is parent-first: a module the parent layer already has (the API, or a library
 * the image ships) is taken from the parent even if the plugin folder holds a copy, so a plugin
 * can never shadow the image. Other files (a README, say) and hidden entries are ignored.
 */
final class PluginFolder {

    /** One plugin that resolved: its layer and where it came from. */
    record Loaded(Path location, ModuleLayer layer) {
    }

    /** What a folder yielded: the layers that resolved and the reasons of those that did not. */
    record Result(List<Loaded> loaded, List<PluginLoadError> errors) {
    }

    /** {@code ModuleLayer.Controller.enableNativeAccess(Module)}, JDK 22 and newer; null before. */
    private static final MethodHandle ENABLE_NATIVE_ACCESS = findEnableNativeAccess();

    private PluginFolder() {
    }

    static Result load(Path folder, ModuleLayer parent, ClassLoader parentLoader) {
        List<Loaded> loaded = new ArrayList<>();
        List<PluginLoadError> errors = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return new Result(loaded, errors);
        }
        List<Path> units;
        try (Stream<Path> entries = Files.list(folder)) {
            units = entries.filter(PluginFolder::isPluginUnit).sorted().toList();
        } catch (IOException e) {
            errors.add(new PluginLoadError(folder.toString(), "cannot list the plugins folder: " + e));
            return new Result(loaded, errors);
        }
        return loadUnits(units, parent, parentLoader);
    }

    /** Loads each unit (a folder of jars, or one jar) as one child layer of {@code parent}. */
    static Result loadUnits(List<Path> units, ModuleLayer parent, ClassLoader parentLoader) {
        List<Loaded> loaded = new ArrayList<>();
        List<PluginLoadError> errors = new ArrayList<>();
        for (Path unit : units) {
            try {
                loaded.add(new Loaded(unit, defineLayer(unit, parent, parentLoader)));
            } catch (PluginUnitException e) {
                errors.add(new PluginLoadError(unit.toString(), e.getMessage()));
            }
        }
        return new Result(loaded, errors);
    }

    private static boolean isPluginUnit(Path p) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
            return false;
        }
        return Files.isDirectory(p) || (Files.isRegularFile(p) && name.endsWith(".jar"));
    }

    private static ModuleLayer defineLayer(Path unit, ModuleLayer parent, ClassLoader parentLoader)
            throws PluginUnitException {
        ModuleFinder finder = ModuleFinder.of(unit);
        Set<ModuleReference> found;
        try {
            found = finder.findAll();
        } catch (FindException e) {
            throw new PluginUnitException("cannot be read as modules: " + Causes.chain(e));
        }
        if (found.isEmpty()) {
            throw new PluginUnitException("holds no module (expected one or more jars)");
        }
        Set<String> roots = new TreeSet<>();
        for (ModuleReference ref : found) {
            String name = ref.descriptor().name();
            if (parent.findModule(name).isEmpty()) {
                roots.add(name);
            }
        }
        if (roots.isEmpty()) {
            throw new PluginUnitException("every module in it is already in the image: "
                    + found.stream().map(r -> r.descriptor().name()).sorted().collect(Collectors.joining(", ")));
        }
        Configuration cf;
        try {
            cf = Configuration.resolveAndBind(ModuleFinder.of(), List.of(parent.configuration()), finder, roots);
        } catch (FindException | ResolutionException e) {
            throw new PluginUnitException("does not resolve: " + Causes.chain(e));
        }
        try {
            ModuleLayer.Controller controller =
                    ModuleLayer.defineModulesWithOneLoader(cf, List.of(parent), parentLoader);
            grantNativeAccess(controller);
            return controller.layer();
        } catch (RuntimeException e) {
            throw new PluginUnitException("cannot be defined: " + Causes.chain(e));
        }
    }

    /**
     * Codec plugins load native libraries; from JDK 22 a child-layer module needs native access
     * granted by the layer's controller, or the JDK warns (and will one day refuse). Older JDKs
     * have no such check and no such method.
     */
    private static void grantNativeAccess(ModuleLayer.Controller controller) {
        if (ENABLE_NATIVE_ACCESS == null) {
            return;
        }
        for (Module m : controller.layer().modules()) {
            try {
                ENABLE_NATIVE_ACCESS.invoke(controller, m);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot grant native access to " + m.getName(), e);
            }
        }
    }

    private static MethodHandle findEnableNativeAccess() {
        try {
            return MethodHandles.publicLookup().findVirtual(ModuleLayer.Controller.class, "enableNativeAccess",
                    MethodType.methodType(ModuleLayer.Controller.class, Module.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** A module's description for listings: its version, or empty when it declares none. */
    static String versionOf(ModuleDescriptor d) {
        return d.rawVersion().orElse("");
    }

    private static final class PluginUnitException extends Exception {
        private static final long serialVersionUID = 1L;

        PluginUnitException(String message) {
            super(message, null, false, false);
        }
    }
}
