package io.fjord.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective POM of an artifact, built as Maven's model builder does for what resolution needs:
 * the parent chain (read from the repository), properties (the child's win) and {@code ${...}}
 * interpolated with them and {@code project.*}, inherited dependencies and dependency management,
 * {@code import}-scope BOMs merged into the management (what the POM manages itself wins), and the
 * management applied to the POM's own dependencies (version, scope, exclusions).
 */
final class PomModels {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final int MAX_PARENTS = 32;

    /** An effective POM: dependencies complete with versions, management keyed as Maven keys it. */
    record Model(String packaging, List<Pom.Dependency> dependencies,
                 Map<String, Pom.Dependency> managed) {
    }

    private final MavenRepository repository;
    private final Map<String, Model> models = new HashMap<>();

    PomModels(MavenRepository repository) {
        this.repository = repository;
    }

    /** The effective POM of {@code artifact}; {@code neededBy} says who asked, for messages. */
    Model model(MavenArtifact artifact, String neededBy) throws ImageException {
        String key = artifact.groupId() + ":" + artifact.artifactId() + ":" + artifact.version();
        Model model = models.get(key);
        if (model == null) {
            model = build(artifact.pom(), neededBy, new LinkedHashSet<>());
            models.put(key, model);
        }
        return model;
    }

    private Model build(MavenArtifact pomId, String neededBy, Set<String> importing) throws ImageException {
        List<Pom> chain = new ArrayList<>();
        Pom pom = Pom.read(repository.require(pomId, neededBy));
        chain.add(pom);
        while (pom.parent() != null) {
            if (chain.size() > MAX_PARENTS) {
                throw new ImageException("the POM " + chain.get(0).file() + " has a parent chain longer than "
                        + MAX_PARENTS + " (a cycle?)");
            }
            Pom.Coordinates p = pom.parent();
            pom = Pom.read(repository.require(new MavenArtifact(p.groupId(), p.artifactId(), p.version(), "", "pom"),
                    pom.file() + " as its parent"));
            chain.add(pom);
        }
        Map<String, String> values = values(chain);
        List<Pom.Dependency> dependencies = new ArrayList<>();
        Map<String, Pom.Dependency> managed = new LinkedHashMap<>();
        // Parent first, so what the child declares under the same key replaces it.
        Map<String, Pom.Dependency> declared = new LinkedHashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            for (Pom.Dependency d : chain.get(i).dependencies()) {
                Pom.Dependency r = interpolate(d, values);
                declared.put(key(r), r);
            }
            for (Pom.Dependency d : chain.get(i).managed()) {
                Pom.Dependency r = interpolate(d, values);
                managed.put(key(r), r);
            }
        }
        importBoms(pomId, managed, importing);
        for (Pom.Dependency d : declared.values()) {
            dependencies.add(manage(d, managed.get(key(d))));
        }
        return new Model(chain.get(0).packaging(), List.copyOf(dependencies), Map.copyOf(managed));
    }

    /** Replaces each {@code import} entry by the BOM's own management, keeping what is managed here. */
    private void importBoms(MavenArtifact pomId, Map<String, Pom.Dependency> managed, Set<String> importing)
            throws ImageException {
        List<Pom.Dependency> boms = managed.values().stream()
                .filter(d -> "import".equals(d.scope()) && "pom".equals(d.type())).toList();
        managed.values().removeIf(d -> "import".equals(d.scope()));
        for (Pom.Dependency bom : boms) {
            MavenArtifact id = new MavenArtifact(bom.groupId(), bom.artifactId(), bom.version(), "", "pom");
            if (!importing.add(id.toString())) {
                throw new ImageException("the BOM " + id + " imports itself (through " + importing + ")");
            }
            Model imported = build(id, "the POM of " + pomId, importing);
            importing.remove(id.toString());
            for (Pom.Dependency d : imported.managed().values()) {
                managed.putIfAbsent(key(d), d);
            }
        }
    }

    /** What Maven's management injection does: fills the version and scope, adds the exclusions. */
    static Pom.Dependency manage(Pom.Dependency d, Pom.Dependency m) {
        if (m == null) {
            return d;
        }
        List<String> exclusions = new ArrayList<>(d.exclusions());
        m.exclusions().stream().filter(e -> !exclusions.contains(e)).forEach(exclusions::add);
        return new Pom.Dependency(d.groupId(), d.artifactId(), d.version() != null ? d.version() : m.version(),
                d.type(), d.classifier(), d.scope() != null ? d.scope() : m.scope(),
                d.optional() != null ? d.optional() : m.optional(), List.copyOf(exclusions));
    }

    /** groupId:artifactId:type:classifier with Maven's defaults, as management and conflicts key. */
    static String key(Pom.Dependency d) {
        return d.groupId() + ":" + d.artifactId() + ":" + (d.type() == null ? "jar" : d.type()) + ":"
                + (d.classifier() == null ? "" : d.classifier());
    }

    private static Map<String, String> values(List<Pom> chain) {
        Map<String, String> values = new HashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            values.putAll(chain.get(i).properties());
        }
        Pom self = chain.get(0);
        Pom.Coordinates parent = self.parent();
        String groupId = self.self().groupId() != null ? self.self().groupId() : parent == null ? null : parent.groupId();
        String version = self.self().version() != null ? self.self().version() : parent == null ? null : parent.version();
        for (String prefix : List.of("project.", "pom.", "")) {
            putIfSet(values, prefix + "groupId", groupId);
            putIfSet(values, prefix + "artifactId", self.self().artifactId());
            putIfSet(values, prefix + "version", version);
            if (parent != null) {
                putIfSet(values, prefix + "parent.groupId", parent.groupId());
                putIfSet(values, prefix + "parent.version", parent.version());
            }
        }
        return values;
    }

    private static void putIfSet(Map<String, String> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    private static Pom.Dependency interpolate(Pom.Dependency d, Map<String, String> values) {
        return new Pom.Dependency(resolve(d.groupId(), values), resolve(d.artifactId(), values),
                resolve(d.version(), values), resolve(d.type(), values), resolve(d.classifier(), values),
                resolve(d.scope(), values), resolve(d.optional(), values),
                d.exclusions().stream().map(e -> resolve(e, values)).toList());
    }

    /** {@code ${name}} replaced by its value, nested ones too; an unknown name stays as written. */
    static String resolve(String text, Map<String, String> values) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (int round = 0; round < 16 && result.contains("${"); round++) {
            Matcher m = PROPERTY.matcher(result);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String value = values.get(m.group(1));
                changed |= value != null;
                m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
            }
            m.appendTail(out);
            result = out.toString();
            if (!changed) {
                break;
            }
        }
        return result;
    }
}
