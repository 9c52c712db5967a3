package io.fjord.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * The jars of some artifacts and of their runtime dependencies, resolved as Maven resolves a
 * project's runtime class path, the artifacts asked for being its direct dependencies:
 * <ul>
 * <li>compile and runtime dependencies are followed; test, provided and system ones, and optional
 *     ones, are not;</li>
 * <li>exclusions hold for the whole subtree of the dependency that declares them;</li>
 * <li>nearest wins: of two versions of an artifact the one closer to the roots is taken (the first
 *     met at the same depth), and only its dependencies are followed;</li>
 * <li>the dependency management of a root (its parents' and imported BOMs' included) holds for
 *     every transitive dependency below it, as Maven's classic dependency manager has it: that is how
 *     Fjord's parent POM pins the versions of what its dependencies bring.</li>
 * </ul>
 * Written here rather than with Maven's own resolver, which would add some twenty jars to every
 * image for this one option of {@code fjord image}.
 */
final class MavenResolver {

    private static final Set<String> SKIPPED_SCOPES = Set.of("test", "provided", "system", "import");

    /** A resolved artifact with a jar. */
    record Resolved(MavenArtifact artifact, Path jar) {
    }

    /** An artifact met in the breadth-first walk, with what holds below it. */
    private record Node(MavenArtifact artifact, String neededBy, Set<String> exclusions,
                        Map<String, Pom.Dependency> managed) {
    }

    private final MavenRepository repository;
    private final PomModels models;

    MavenResolver(MavenRepository repository) {
        this.repository = repository;
        this.models = new PomModels(repository);
    }

    /** The jars of {@code roots} and their dependencies, nearest first; {@code requester} names who asked. */
    List<Resolved> resolve(List<MavenArtifact> roots, String requester) throws ImageException {
        Queue<Node> pending = new ArrayDeque<>();
        for (MavenArtifact root : roots) {
            pending.add(new Node(root, requester, Set.of(), null));
        }
        Set<String> seen = new HashSet<>();
        List<Resolved> resolved = new ArrayList<>();
        while (!pending.isEmpty()) {
            Node node = pending.poll();
            MavenArtifact artifact = node.artifact();
            if (!seen.add(artifact.versionlessKey())) {
                continue;
            }
            PomModels.Model model = models.model(artifact, node.neededBy());
            Map<String, Pom.Dependency> managed = node.managed() != null ? node.managed() : model.managed();
            if (artifact.hasJar() && !model.packaging().equals("pom")) {
                resolved.add(new Resolved(artifact, repository.require(artifact, node.neededBy())));
            }
            for (Pom.Dependency declared : model.dependencies()) {
                Pom.Dependency d = override(declared, managed.get(PomModels.key(declared)));
                if (skipped(d) || excluded(node.exclusions(), d)) {
                    continue;
                }
                if (d.version() == null || d.version().isBlank() || d.version().contains("${")) {
                    throw new ImageException("the dependency " + d.groupId() + ":" + d.artifactId() + " of " + artifact
                            + " has no version" + (d.version() == null ? "" : " (" + d.version() + ")"));
                }
                Set<String> exclusions = new HashSet<>(node.exclusions());
                exclusions.addAll(d.exclusions());
                MavenArtifact child = new MavenArtifact(d.groupId(), d.artifactId(), d.version(),
                        d.classifier() == null ? "" : d.classifier(), d.type() == null ? "jar" : d.type());
                pending.add(new Node(child, artifact.toString(), Set.copyOf(exclusions), managed));
            }
        }
        return resolved;
    }

    /** The management of a root, over a transitive dependency: its version and scope win, its exclusions add. */
    private static Pom.Dependency override(Pom.Dependency d, Pom.Dependency m) {
        if (m == null) {
            return d;
        }
        List<String> exclusions = new ArrayList<>(d.exclusions());
        m.exclusions().stream().filter(e -> !exclusions.contains(e)).forEach(exclusions::add);
        return new Pom.Dependency(d.groupId(), d.artifactId(), m.version() != null ? m.version() : d.version(),
                d.type(), d.classifier(), m.scope() != null ? m.scope() : d.scope(), d.optional(), List.copyOf(exclusions));
    }

    private static boolean skipped(Pom.Dependency d) {
        return (d.scope() != null && SKIPPED_SCOPES.contains(d.scope())) || "true".equals(d.optional());
    }

    private static boolean excluded(Set<String> exclusions, Pom.Dependency d) {
        for (String e : exclusions) {
            int colon = e.indexOf(':');
            String g = e.substring(0, colon);
            String a = e.substring(colon + 1);
            if ((g.equals("*") || g.equals(d.groupId())) && (a.equals("*") || a.equals(d.artifactId()))) {
                return true;
            }
        }
        return false;
    }
}
