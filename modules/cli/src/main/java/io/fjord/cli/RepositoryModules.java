package io.fjord.cli;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The module folder of {@code fjord image --repository}: the Fjord modules asked for and their
 * dependencies, resolved from their POMs ({@link MavenResolver}) and copied into a new folder, on
 * which the image is then built as on an installation's {@code modules/}.
 *
 * <p>Which artifact holds which Fjord module comes from {@code fjord-artifacts.properties}, checked
 * against the build's artifacts by the module-graph tests: a module's name is not in its POM.
 */
final class RepositoryModules {

    static final String GROUP_ID = "io.fjord";

    private RepositoryModules() {
    }

    /** Fjord's published modules: module name to artifactId, sorted by module name. */
    static Map<String, String> artifacts() {
        Properties p = CliResources.properties("fjord-artifacts.properties");
        Map<String, String> artifacts = new TreeMap<>();
        p.stringPropertyNames().forEach(name -> artifacts.put(name, p.getProperty(name)));
        return artifacts;
    }

    /**
     * Resolves the artifacts of {@code modules} (every published Fjord module when empty, and
     * {@code io.fjord.cli} always) at {@code version} from {@code repositories}, and copies their
     * jars into a new folder under {@code cache}, which also keeps what is fetched over http(s).
     * Names that are no Fjord module (a JDK module, a dependency's) are left to the module resolution.
     *
     * @return the new folder; the caller deletes it ({@link #delete})
     */
    static Path fetch(List<String> repositories, String version, Set<String> modules, Path cache) throws ImageException {
        for (String jdkModule : List.of("java.xml", "java.net.http")) {
            if (ModuleLayer.boot().findModule(jdkModule).isEmpty()) {
                throw new ImageException("this runtime lacks the module " + jdkModule + ", which --repository needs"
                        + " (to read POMs and fetch over http): run fjord image from the default installation");
            }
        }
        Map<String, String> artifacts = artifacts();
        List<MavenArtifact> roots = new ArrayList<>();
        roots.add(MavenArtifact.jar(GROUP_ID, artifacts.get(ImageBuilder.CLI), version));
        for (String module : modules.isEmpty() ? artifacts.keySet() : modules) {
            String artifactId = artifacts.get(module);
            if (artifactId == null) {
                if (module.startsWith("io.fjord.")) {
                    throw new ImageException("module " + module + " is not one of Fjord's published modules ("
                            + String.join(", ", artifacts.keySet()) + ")");
                }
                continue;
            }
            MavenArtifact root = MavenArtifact.jar(GROUP_ID, artifactId, version);
            if (!roots.contains(root)) {
                roots.add(root);
            }
        }
        List<String> locations = new ArrayList<>();
        for (String r : repositories) {
            if (!MavenRepository.isHttp(r) && !Files.isDirectory(Path.of(r))) {
                throw new ImageException("repository " + r + " is neither a folder nor an http(s) URL");
            }
            locations.add(MavenRepository.isHttp(r) ? r : Path.of(r).toAbsolutePath().toString());
        }
        MavenRepository repository = new MavenRepository(locations, cache.resolve("repository"));
        List<MavenResolver.Resolved> resolved = new MavenResolver(repository).resolve(roots, "the image");
        Path folder;
        try {
            folder = Files.createTempDirectory(Files.createDirectories(cache), "modules-");
        } catch (IOException e) {
            throw new ImageException("cannot create a module folder in " + cache + ": " + e);
        }
        try {
            for (MavenResolver.Resolved r : resolved) {
                Files.copy(r.jar(), folder.resolve(r.artifact().fileName()));
            }
        } catch (IOException e) {
            delete(folder);
            throw new ImageException("cannot copy the modules into " + folder + ": " + e);
        }
        return folder;
    }

    /** Deletes a folder {@link #fetch} made, and the cache folder when nothing was fetched; nothing when null. */
    static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(folder.getParent());
        } catch (DirectoryNotEmptyException e) {
            // The cache holds what was fetched: kept for the next run.
        } catch (IOException e) {
            // Left behind in the cache folder, where the next run does not look at it.
        }
    }
}
