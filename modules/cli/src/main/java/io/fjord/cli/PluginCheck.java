package io.fjord.cli;

import io.fjord.kernel.PluginInfo;
import io.fjord.kernel.PluginLoadError;
import io.fjord.kernel.PluginOrigin;
import io.fjord.kernel.PluginRuntime;

import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code fjord plugins --check PATH}: a plugin folder (or jar) judged as the kernel would load it
 * in this installation, before it is dropped in: whether it resolves, its modules (and which of
 * them the image's copies replace, since resolution is parent-first), what it provides, and the
 * names it would share with a provider already installed (a configuration naming one would fail).
 */
final class PluginCheck {

    /** The verdict: the report's lines, and whether the folder can be dropped in as it is. */
    record Result(List<String> lines, boolean ok) {
    }

    private PluginCheck() {
    }

    static Result check(Path candidate, Path pluginsFolder) {
        Path unit = candidate.toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>();
        lines.add("Plugin " + unit + ", checked against the image and " + pluginsFolder);
        if (!Files.isDirectory(unit) && !(Files.isRegularFile(unit) && unit.toString().endsWith(".jar"))) {
            lines.add("Does not load: neither a plugin folder nor a jar");
            return new Result(lines, false);
        }
        List<ModuleReference> modules;
        try {
            modules = ModuleFinder.of(unit).findAll().stream()
                    .sorted(Comparator.comparing(r -> r.descriptor().name())).toList();
        } catch (FindException e) {
            lines.add("Does not load: its jars cannot be read as modules: " + e.getMessage());
            return new Result(lines, false);
        }
        lines.add("Modules:");
        ModuleLayer image = PluginCheck.class.getModule().getLayer();
        for (ModuleReference ref : modules) {
            ModuleDescriptor d = ref.descriptor();
            String line = "  " + d.name() + " " + d.rawVersion().orElse("-") + (d.isAutomatic() ? " (automatic)" : "");
            if (image != null && image.findModule(d.name()).isPresent()) {
                String imageVersion = image.findModule(d.name()).get().getDescriptor().rawVersion().orElse("-");
                line += ": not loaded, the image's " + d.name() + " " + imageVersion + " is used instead";
            }
            lines.add(line);
        }
        List<Path> installed = installedUnits(pluginsFolder, unit);
        List<Path> units = new ArrayList<>(installed);
        units.add(unit);
        boolean ok = true;
        try (PluginRuntime runtime = PluginRuntime.discover(null, units)) {
            for (PluginLoadError error : runtime.errors()) {
                if (error.location().startsWith(unit.toString()) || error.reason().contains(unit.toString())) {
                    lines.add("Does not load: " + error.reason());
                    ok = false;
                }
            }
            List<PluginInfo> all = runtime.plugins();
            List<PluginInfo> provided = all.stream().filter(p -> isFrom(p, unit)).toList();
            lines.add("Provides:" + (provided.isEmpty() ? " nothing" : ""));
            provided.forEach(p -> lines.add("  " + p.point().kind() + " " + p.name() + " (" + p.className() + ")"));
            if (ok && provided.isEmpty()) {
                lines.add("Does not load: no provider of an extension point of io.fjord.api");
                ok = false;
            }
            List<String> conflicts = new ArrayList<>();
            for (PluginInfo p : provided) {
                for (PluginInfo other : all) {
                    if (other != p && !isFrom(other, unit) && other.point().equals(p.point()) && other.name().equals(p.name())) {
                        conflicts.add("  " + p.point().kind() + " '" + p.name() + "' is also provided by " + other.className()
                                + " (module " + other.module() + ", from " + other.origin() + ")");
                    }
                }
            }
            lines.add("Conflicts:" + (conflicts.isEmpty() ? " none" : ""));
            lines.addAll(conflicts);
            ok &= conflicts.isEmpty();
        }
        lines.add(ok ? "OK: ready to drop into " + pluginsFolder : "NOT OK");
        return new Result(lines, ok);
    }

    private static boolean isFrom(PluginInfo p, Path unit) {
        return p.origin().kind() == PluginOrigin.Kind.FOLDER && p.origin().location().equals(unit.toString());
    }

    /** The installed plugin folders and jars, without the one checked if it is already there. */
    private static List<Path> installedUnits(Path pluginsFolder, Path checked) {
        if (pluginsFolder == null || !Files.isDirectory(pluginsFolder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(pluginsFolder)) {
            return entries.map(p -> p.toAbsolutePath().normalize())
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar"))
                    .filter(p -> !p.equals(checked))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
