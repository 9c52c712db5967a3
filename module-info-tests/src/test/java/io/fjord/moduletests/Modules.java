package io.fjord.moduletests;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Helpers shared by the module-graph tests. */
final class Modules {

    private Modules() {
    }

    /** The Fjord modules of the boot layer (the image's, when these tests run). */
    static Set<Module> fjordModules() {
        return ModuleLayer.boot().modules().stream()
                .filter(m -> m.getName().startsWith("io.fjord.") && !m.getName().equals("io.fjord.moduletests"))
                .collect(Collectors.toSet());
    }

    /**
     * A descriptor as sorted lines of module-info syntax ({@code requires transitive x},
     * {@code provides s with a, b}), without the mandated {@code requires java.base}.
     */
    static List<String> render(ModuleDescriptor d) {
        Set<String> lines = new TreeSet<>();
        for (ModuleDescriptor.Requires r : d.requires()) {
            if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.MANDATED)) {
                continue;
            }
            StringBuilder sb = new StringBuilder("requires ");
            if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)) {
                sb.append("transitive ");
            }
            if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                sb.append("static ");
            }
            lines.add(sb.append(r.name()).toString());
        }
        d.exports().forEach(e -> lines.add("exports " + e.source()
                + (e.isQualified() ? " to " + String.join(", ", new TreeSet<>(e.targets())) : "")));
        d.opens().forEach(o -> lines.add("opens " + o.source()
                + (o.isQualified() ? " to " + String.join(", ", new TreeSet<>(o.targets())) : "")));
        d.uses().forEach(u -> lines.add("uses " + u));
        d.provides().forEach(p -> lines.add("provides " + p.service() + " with "
                + String.join(", ", new TreeSet<>(p.providers()))));
        return new ArrayList<>(lines);
    }

    /** A path given to the tests as a system property by the build. */
    static Path pathProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
