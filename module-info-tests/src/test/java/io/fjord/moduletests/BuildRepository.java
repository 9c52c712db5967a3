package io.fjord.moduletests;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Maven repository folder holding this build's own artifacts, for {@code fjord image
 * --repository}: the build does not install them before these tests run. Each jar of the
 * installation's {@code modules/} built here (groupId io.fjord) is laid out with the POM it
 * carries (the module's pom.xml, which the jar plugin puts in META-INF/maven/), and the parent POM
 * comes from the source tree. Third-party artifacts come from the local repository the build used.
 */
final class BuildRepository {

    static final String GROUP_ID = "io.fjord";

    private BuildRepository() {
    }

    /** Lays the build's artifacts out under {@code root}; returns their version. */
    static String layOut(Path root) throws IOException {
        String version = null;
        for (Map.Entry<Path, Properties> jar : buildJars().entrySet()) {
            Properties p = jar.getValue();
            version = p.getProperty("version");
            Path folder = Files.createDirectories(root.resolve("io/fjord").resolve(p.getProperty("artifactId"))
                    .resolve(version));
            String base = p.getProperty("artifactId") + "-" + version;
            Files.copy(jar.getKey(), folder.resolve(base + ".jar"));
            try (ZipFile zip = new ZipFile(jar.getKey().toFile());
                 InputStream pom = zip.getInputStream(zip.getEntry(
                         "META-INF/maven/" + GROUP_ID + "/" + p.getProperty("artifactId") + "/pom.xml"))) {
                Files.copy(pom, folder.resolve(base + ".pom"));
            }
        }
        Path parent = Files.createDirectories(root.resolve("io/fjord/fjord-parent").resolve(version));
        Files.copy(Modules.pathProperty("fjord.parent.pom"), parent.resolve("fjord-parent-" + version + ".pom"));
        return version;
    }

    /** The Fjord modules of the installation by module name, with the artifactId their jar's POM gives. */
    static Map<String, String> fjordModuleArtifacts() throws IOException {
        Map<String, String> artifacts = new TreeMap<>();
        for (Map.Entry<Path, Properties> jar : buildJars().entrySet()) {
            String module = ModuleFinder.of(jar.getKey()).findAll().iterator().next().descriptor().name();
            if (module.startsWith("io.fjord.")) {
                artifacts.put(module, jar.getValue().getProperty("artifactId"));
            }
        }
        return artifacts;
    }

    /** The installation's module jars of this build, with the pom.properties the jar plugin wrote in them. */
    private static Map<Path, Properties> buildJars() throws IOException {
        Map<Path, Properties> jars = new TreeMap<>();
        try (Stream<Path> files = Files.list(Modules.pathProperty("fjord.image").resolve("modules"))) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                        ZipEntry entry = e.nextElement();
                        if (entry.getName().startsWith("META-INF/maven/" + GROUP_ID + "/")
                                && entry.getName().endsWith("/pom.properties")) {
                            Properties p = new Properties();
                            try (InputStream in = zip.getInputStream(entry)) {
                                p.load(in);
                            }
                            jars.put(jar, p);
                        }
                    }
                }
            }
        }
        return jars;
    }
}
