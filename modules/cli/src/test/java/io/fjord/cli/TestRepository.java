package io.fjord.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Maven repository folder for tests: small POMs written by hand, and empty jars next to them. */
final class TestRepository {

    private final Path root;

    TestRepository(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Writes {@code groupId:artifactId:version}'s POM, with {@code body} inside {@code <project>}, and its jar. */
    TestRepository artifact(String groupId, String artifactId, String version, String body) throws IOException {
        return pom(groupId, artifactId, version, body).jar(groupId, artifactId, version);
    }

    /** Writes only the POM (a parent, a BOM, or an artifact whose jar is missing). */
    TestRepository pom(String groupId, String artifactId, String version, String body) throws IOException {
        return rawPom(groupId, artifactId, version, "<groupId>" + groupId + "</groupId><artifactId>" + artifactId
                + "</artifactId><version>" + version + "</version>" + body);
    }

    /** Writes a POM whose coordinates are all in {@code body}: one that inherits its groupId or version. */
    TestRepository rawPom(String groupId, String artifactId, String version, String body) throws IOException {
        Path pom = root.resolve(MavenArtifact.jar(groupId, artifactId, version).pom().repositoryPath());
        Files.createDirectories(pom.getParent());
        Files.writeString(pom, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + body + "</project>\n");
        return this;
    }

    /** Writes the jar of an artifact whose POM {@link #rawPom} wrote. */
    TestRepository jar(String groupId, String artifactId, String version) throws IOException {
        Files.write(root.resolve(MavenArtifact.jar(groupId, artifactId, version).repositoryPath()), new byte[0]);
        return this;
    }

    /** A {@code <dependency>} element; {@code extra} holds scope, optional, exclusions and the like. */
    static String dependency(String groupId, String artifactId, String version, String extra) {
        return "<dependency><groupId>" + groupId + "</groupId><artifactId>" + artifactId + "</artifactId>"
                + (version == null ? "" : "<version>" + version + "</version>") + extra + "</dependency>";
    }

    static String dependencies(String... dependencies) {
        return "<dependencies>" + String.join("", dependencies) + "</dependencies>";
    }
}
