package io.fjord.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a custom image: resolves the mix, checks that the providers its settings name are in it,
 * links it, then adds what the default image has besides the runtime: the launcher
 * {@code bin/fjord}, {@code conf/} and {@code plugins/} with the chosen plugin folders.
 *
 * <p>The launcher and {@code conf/} come from the installation ({@link FjordHome}); every image
 * holds {@code io.fjord.cli}, the module the launcher starts.
 */
final class ImageBuilder {

    static final String CLI = "io.fjord.cli";

    /** What to build. {@code roots} empty means every Fjord module of the installation. */
    record Request(Path output, Path modulePath, Set<String> roots, Set<String> without, List<Path> plugins,
                   Map<String, String> settings, Path jdk) {
    }

    /** A written image: where, its size on disk and its modules. */
    record Built(Path output, long bytes, List<String> modules) {
    }

    private ImageBuilder() {
    }

    /** Resolves and checks the mix without linking: what {@link #build} refuses, this refuses. */
    static ModuleMix plan(Request request) throws ImageException {
        if (!Files.isDirectory(request.modulePath())) {
            throw new ImageException("no modules folder " + request.modulePath()
                    + ": give the folder of the installation's module jars with --module-path");
        }
        for (Path plugin : request.plugins()) {
            if (!Files.isDirectory(plugin) && !plugin.toString().endsWith(".jar")) {
                throw new ImageException("plugin " + plugin + " is neither a plugin folder nor a jar");
            }
        }
        Set<String> roots = new LinkedHashSet<>(request.roots().isEmpty()
                ? allFjordModules(request.modulePath(), request.without()) : request.roots());
        if (request.without().contains(CLI)) {
            throw new ImageException("module " + CLI + " cannot be left out: the image's launcher bin/fjord runs it");
        }
        roots.add(CLI);
        roots.add(Jlink.UNSUPPORTED);
        ModuleMix mix = ModuleMix.resolve(request.modulePath(), roots, request.without());
        ProviderCheck.check(request.settings(), mix, request.plugins());
        return mix;
    }

    static Built build(Request request) throws ImageException {
        ModuleMix mix = plan(request);
        Path output = request.output();
        if (Files.exists(output)) {
            throw new ImageException(output + " exists: jlink writes a new folder");
        }
        Path home = FjordHome.root();
        Path launcher = home.resolve("bin/fjord");
        if (!Files.isRegularFile(launcher)) {
            throw new ImageException("the installation " + home + " has no launcher bin/fjord to copy (FJORD_HOME)");
        }
        Jlink.find(request.jdk()).link(request.modulePath(), mix.roots(), output);
        try {
            Path bin = output.resolve("bin/fjord");
            Files.copy(launcher, bin, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (Files.isDirectory(home.resolve("conf"))) {
                copyTree(home.resolve("conf"), output.resolve("conf"));
            }
            Path plugins = Files.createDirectories(output.resolve("plugins"));
            for (Path plugin : request.plugins()) {
                Path target = plugins.resolve(plugin.getFileName().toString());
                if (Files.isDirectory(plugin)) {
                    copyTree(plugin, target);
                } else {
                    Files.copy(plugin, target);
                }
            }
            return new Built(output, sizeOf(output), Jlink.modulesOf(output));
        } catch (IOException | UncheckedIOException e) {
            throw new ImageException("cannot finish the image in " + output + ": " + e.getMessage());
        }
    }

    private static Set<String> allFjordModules(Path modulePath, Set<String> without) {
        return ModuleFinder.of(modulePath).findAll().stream()
                .map(r -> r.descriptor().name())
                .filter(n -> n.startsWith("io.fjord.") && !without.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static long sizeOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    // conf/ of a linked runtime already holds the JDK's own files.
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
