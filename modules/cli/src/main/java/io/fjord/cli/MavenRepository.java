package io.fjord.cli;

import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Maven repositories searched in order for a file: folders in Maven's layout (a local repository
 * such as {@code ~/.m2/repository}) read in place, and http(s) repositories (such as
 * {@code https://repo1.maven.org/maven2}) whose files are kept in a cache folder in the same
 * layout, so a second run fetches nothing. Snapshots are looked up under their plain name
 * ({@code -SNAPSHOT}), as a local repository and a remote one deployed with unique versions off
 * hold them, then under the timestamped name a remote repository's metadata gives.
 */
final class MavenRepository {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<String> locations;
    private final Path cache;
    private HttpClient http;

    /**
     * @param locations folders or http(s) URLs, searched in order
     * @param cache where files fetched over http(s) are kept
     */
    MavenRepository(List<String> locations, Path cache) {
        this.locations = List.copyOf(locations);
        this.cache = cache;
    }

    static boolean isHttp(String location) {
        return location.startsWith("http://") || location.startsWith("https://");
    }

    /** The artifact's file from the first repository that has it; {@code neededBy} is for the message. */
    Path require(MavenArtifact artifact, String neededBy) throws ImageException {
        Optional<Path> file = find(artifact);
        if (file.isEmpty()) {
            throw new ImageException("artifact " + artifact + ", needed by " + neededBy
                    + ", is in none of the repositories " + String.join(", ", locations));
        }
        return file.get();
    }

    Optional<Path> find(MavenArtifact artifact) throws ImageException {
        String path = artifact.repositoryPath();
        for (String location : locations) {
            if (isHttp(location)) {
                Path cached = cache.resolve(path);
                if (Files.isRegularFile(cached) || fetch(location, path, cached)
                        || fetchSnapshot(location, artifact, cached)) {
                    return Optional.of(cached);
                }
            } else {
                Path file = Path.of(location).resolve(path);
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A remote repository keeps a snapshot under a timestamped name, which its folder's
     * {@code maven-metadata.xml} gives; it is cached under the plain {@code -SNAPSHOT} name, as a
     * local repository keeps it, so the next run takes the same build.
     */
    private boolean fetchSnapshot(String base, MavenArtifact artifact, Path target) throws ImageException {
        if (!artifact.version().endsWith("-SNAPSHOT")) {
            return false;
        }
        Path metadata = target.resolveSibling("maven-metadata.xml");
        if (!fetch(base, artifact.repositoryFolder() + "/maven-metadata.xml", metadata)) {
            return false;
        }
        String fileVersion;
        try {
            fileVersion = snapshotVersion(Pom.xml(metadata, "the snapshot metadata", "metadata"), artifact);
        } finally {
            try {
                Files.deleteIfExists(metadata);
            } catch (IOException e) {
                // The next snapshot lookup in this folder fetches it again anyway.
            }
        }
        return fileVersion != null && fetch(base, artifact.repositoryFolder() + "/" + artifact.fileName(fileVersion), target);
    }

    /** The timestamped version of the artifact's file: from snapshotVersions, or from Maven 2's timestamp and build number. */
    private static String snapshotVersion(Element metadata, MavenArtifact artifact) {
        Element versioning = Pom.child(metadata, "versioning");
        if (versioning == null) {
            return null;
        }
        Element versions = Pom.child(versioning, "snapshotVersions");
        if (versions != null) {
            for (Element v : Pom.children(versions)) {
                String classifier = Pom.text(v, "classifier");
                if (artifact.extension().equals(Pom.text(v, "extension"))
                        && artifact.classifier().equals(classifier == null ? "" : classifier)) {
                    return Pom.text(v, "value");
                }
            }
        }
        Element snapshot = Pom.child(versioning, "snapshot");
        String timestamp = snapshot == null ? null : Pom.text(snapshot, "timestamp");
        String build = snapshot == null ? null : Pom.text(snapshot, "buildNumber");
        return timestamp == null || build == null ? null
                : artifact.version().replace("-SNAPSHOT", "-" + timestamp + "-" + build);
    }

    /** GETs {@code base/path} into {@code target}: true when there, false when the server has no such file. */
    private boolean fetch(String base, String path, Path target) throws ImageException {
        URI uri = URI.create(base.endsWith("/") ? base + path : base + "/" + path);
        HttpResponse<InputStream> response;
        try {
            response = client().send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ImageException("cannot fetch " + uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while fetching " + uri);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return false;
            }
            if (response.statusCode() != 200) {
                throw new ImageException("cannot fetch " + uri + ": the server answered " + response.statusCode());
            }
            // Written aside, then moved: an interrupted download never looks like a cached file.
            Files.createDirectories(target.getParent());
            Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            try {
                Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            return true;
        } catch (IOException e) {
            throw new ImageException("cannot fetch " + uri + " into " + target + ": " + e);
        }
    }

    private HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }
}
