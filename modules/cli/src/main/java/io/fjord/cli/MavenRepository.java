package io.fjord.cli;

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
 * ({@code -SNAPSHOT}), as a local repository holds them; timestamped remote snapshots are not.
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
                if (Files.isRegularFile(cached) || fetch(location, path, cached)) {
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
