package io.fjord.cli;

import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The modules of one image: the roots asked for and everything they require, resolved over an
 * installation's module jars (less the modules left out) and the JDK's modules.
 *
 * <p>Invariant: a {@code ModuleMix} that exists has resolved, so jlink will find every module it
 * needs. A mix that cannot resolve is refused with the missing module, the module that needs it
 * and the path from a root to it, before anything is linked.
 */
final class ModuleMix {

    /** What the modules people most often leave out are, for messages. */
    private static final Map<String, String> ROLES = Map.of(
            "io.fjord.controller", "the metadata store",
            "io.fjord.coordinator", "the group coordinator",
            "io.fjord.compression", "the built-in codecs",
            "io.fjord.client", "the producer, admin and network client",
            "io.fjord.log", "the partition log",
            "io.fjord.broker", "the broker");

    private final Set<String> roots;
    private final Set<String> modules;

    private ModuleMix(Set<String> roots, Set<String> modules) {
        this.roots = roots;
        this.modules = modules;
    }

    /**
     * Resolves {@code roots} over the jars in {@code modulePath} without the modules in
     * {@code without}, JDK modules coming from the running runtime's system modules.
     *
     * @throws ImageException naming the missing module and who needs it, or the resolver's reason
     */
    static ModuleMix resolve(Path modulePath, Set<String> roots, Set<String> without) throws ImageException {
        for (String root : roots) {
            if (without.contains(root)) {
                throw new ImageException("module " + root + " is both added and left out (--without " + root + ")");
            }
        }
        ModuleFinder installation = filter(ModuleFinder.of(modulePath), name -> !without.contains(name));
        ModuleFinder jdk = filter(ModuleFinder.ofSystem(), ModuleMix::isJdkModule);
        Map<String, String> neededBy = new HashMap<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        Set<String> seen = new LinkedHashSet<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            Optional<ModuleReference> ref = find(installation, jdk, name);
            if (ref.isEmpty()) {
                throw new ImageException(missing(name, neededBy, without, modulePath));
            }
            for (ModuleDescriptor.Requires r : ref.get().descriptor().requires()) {
                if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) || !seen.add(r.name())) {
                    continue;
                }
                neededBy.put(r.name(), name);
                pending.push(r.name());
            }
        }
        Configuration cf;
        try {
            cf = Configuration.resolve(installation, List.of(Configuration.empty()), jdk, roots);
        } catch (FindException | ResolutionException e) {
            throw new ImageException("the modules do not resolve: " + e.getMessage());
        }
        Set<String> modules = cf.modules().stream().map(ResolvedModule::name)
                .collect(Collectors.toCollection(TreeSet::new));
        return new ModuleMix(Set.copyOf(roots), modules);
    }

    /** The root modules: what jlink is asked to add. */
    Set<String> roots() {
        return roots;
    }

    /** Every module of the image, JDK modules included, by name. */
    Set<String> modules() {
        return modules;
    }

    boolean contains(String module) {
        return modules.contains(module);
    }

    static boolean isJdkModule(String name) {
        return name.startsWith("java.") || name.startsWith("jdk.");
    }

    private static Optional<ModuleReference> find(ModuleFinder installation, ModuleFinder jdk, String name) {
        Optional<ModuleReference> ref = installation.find(name);
        return ref.isPresent() ? ref : jdk.find(name);
    }

    private static String missing(String name, Map<String, String> neededBy, Set<String> without, Path modulePath) {
        String needer = neededBy.get(name);
        String role = ROLES.containsKey(name) ? " (" + ROLES.get(name) + ")" : "";
        String where = without.contains(name) ? "it is left out by --without " + name
                : isJdkModule(name) ? "the Java runtime has no such module"
                : "there is no such module in " + modulePath;
        if (needer == null) {
            return "module " + name + " is not in the mix: " + where;
        }
        StringBuilder chain = new StringBuilder();
        for (String m = neededBy.get(needer); m != null; m = neededBy.get(m)) {
            chain.append(chain.length() == 0 ? " (which " : ", which ").append(m).append(" requires");
        }
        return "the mix cannot work: module " + name + role + " is missing and " + needer + " needs it"
                + (chain.length() == 0 ? "" : chain + ")") + "; " + where;
    }

    private static ModuleFinder filter(ModuleFinder finder, Predicate<String> keep) {
        return new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return keep.test(name) ? finder.find(name) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return finder.findAll().stream().filter(r -> keep.test(r.descriptor().name()))
                        .collect(Collectors.toSet());
            }
        };
    }
}
