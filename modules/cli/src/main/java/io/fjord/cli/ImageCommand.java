package io.fjord.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code fjord image}: assembles a custom image from the installation's modules (or those a Maven
 * repository holds, {@code --repository}) and plugin folders.
 */
@Command(name = "image",
        description = {
            "Build a custom image: the modules chosen, what they require, the JDK modules they need, "
                    + "plugin folders in its plugins/, and the launcher bin/fjord. The mix is resolved first: a "
                    + "module that is missing is named with the module that needs it, and a setting naming a "
                    + "plugin the mix lacks (--config compression.type=snappy) is refused. Needs a JDK's jlink: "
                    + "the running one, --jdk or JAVA_HOME."
        })
public final class ImageCommand implements Callable<Integer> {

    /** The cache folder of --repository, next to the image: it outlives the run so a second one fetches nothing. */
    static final String CACHE = ".fjord-image-cache";

    @Spec
    CommandSpec spec;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The image's folder (must not exist).")
    Path output;

    @Option(names = "--add-modules", split = ",", paramLabel = "MODULE",
            description = "Root modules (default: every Fjord module of the installation, or with --repository every "
                    + "published one); io.fjord.cli is always added.")
    List<String> addModules = new ArrayList<>();

    @Option(names = "--without", split = ",", paramLabel = "MODULE", description = "Modules to leave out.")
    List<String> without = new ArrayList<>();

    @Option(names = "--plugin", paramLabel = "PATH", description = "A plugin folder (or jar) to put in plugins/ (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--config", paramLabel = "key=value",
            description = "A broker or client setting the image must serve, e.g. compression.type=zstd (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--module-path", paramLabel = "DIR",
            description = "The folder of module jars (default: modules/ of the installation).")
    Path modulePath;

    @Option(names = "--repository", paramLabel = "URL_OR_DIR",
            description = "Take the modules from a Maven repository instead of --module-path: a folder in Maven's "
                    + "layout (a local repository) or an http(s) URL (repeatable, searched in order). The Fjord "
                    + "modules asked for are resolved with their dependencies from their POMs. What is fetched "
                    + "over http(s) is kept for the next run next to --output, in " + CACHE + "/.")
    List<String> repositories = new ArrayList<>();

    @Option(names = "--fjord-version", paramLabel = "VERSION",
            description = "The version of the Fjord artifacts to take from --repository (default: this installation's).")
    String fjordVersion;

    @Option(names = "--jdk", paramLabel = "DIR", description = "The JDK whose jlink and jmods link the image.")
    Path jdk;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path fetched = null;
        ImageBuilder.Built built;
        try {
            Path modules = modulePath != null ? modulePath : FjordHome.root().resolve("modules");
            if (!repositories.isEmpty()) {
                if (modulePath != null) {
                    throw new ImageException("give either --module-path or --repository, not both");
                }
                Path cache = output.toAbsolutePath().getParent().resolve(CACHE);
                fetched = RepositoryModules.fetch(repositories,
                        fjordVersion != null ? fjordVersion : FjordVersion.fjord(), new LinkedHashSet<>(addModules), cache);
                modules = fetched;
            } else if (fjordVersion != null) {
                throw new ImageException("--fjord-version goes with --repository");
            }
            built = ImageBuilder.build(new ImageBuilder.Request(output.toAbsolutePath(), modules,
                    new LinkedHashSet<>(addModules), Set.copyOf(without),
                    plugins.stream().map(Path::toAbsolutePath).toList(), settings, jdk));
        } catch (ImageException e) {
            err.println("fjord image: " + e.getMessage());
            return 1;
        } finally {
            RepositoryModules.delete(fetched);
        }
        out.println("Image " + built.output() + ": " + mebibytes(built.bytes()) + ", " + built.modules().size() + " modules");
        out.println("Modules: " + String.join(" ", built.modules()));
        if (!plugins.isEmpty()) {
            out.println("Plugins: " + String.join(" ", plugins.stream().map(p -> p.getFileName().toString()).toList()));
        }
        out.flush();
        return 0;
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
