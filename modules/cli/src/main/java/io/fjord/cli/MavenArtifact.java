package io.fjord.cli;

/**
 * One file of a Maven repository by its coordinates. {@code type} is the dependency type
 * ({@code jar}, {@code pom}, {@code test-jar}, {@code bundle}...), {@code classifier} is empty
 * when there is none, as in {@code netty-transport-native-epoll:linux-x86_64}.
 */
record MavenArtifact(String groupId, String artifactId, String version, String classifier, String type) {

    static MavenArtifact jar(String groupId, String artifactId, String version) {
        return new MavenArtifact(groupId, artifactId, version, "", "jar");
    }

    /** The POM that describes this artifact: the same coordinates without classifier. */
    MavenArtifact pom() {
        return new MavenArtifact(groupId, artifactId, version, "", "pom");
    }

    /** What Maven's conflict resolution and dependency management key on: all but the version. */
    String versionlessKey() {
        return groupId + ":" + artifactId + ":" + type + ":" + classifier;
    }

    /** Whether the artifact has a jar: {@code pom} (and BOM) dependencies only bring their dependencies. */
    boolean hasJar() {
        return !type.equals("pom");
    }

    /** The file's extension: every type but {@code pom} is a jar here. */
    String extension() {
        return type.equals("pom") ? "pom" : "jar";
    }

    /** The file name, e.g. {@code netty-transport-native-epoll-4.2.7.Final-linux-x86_64.jar}. */
    String fileName() {
        return fileName(version);
    }

    /** The file name with another version in it: a remote snapshot's timestamped one. */
    String fileName(String fileVersion) {
        return artifactId + "-" + fileVersion + (classifier.isEmpty() ? "" : "-" + classifier) + "." + extension();
    }

    /** The artifact's folder in Maven's repository layout, with {@code /} separators (for URLs and folders alike). */
    String repositoryFolder() {
        return groupId.replace('.', '/') + "/" + artifactId + "/" + version;
    }

    String repositoryPath() {
        return repositoryFolder() + "/" + fileName();
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + (classifier.isEmpty() ? "" : ":" + classifier)
                + (type.equals("jar") ? "" : " (" + type + ")");
    }
}
