package io.fjord.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.fjord.cli.TestRepository.dependencies;
import static io.fjord.cli.TestRepository.dependency;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An http repository served on the loopback interface, chained with a folder repository. */
class MavenRepositoryTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private TestRepository served;
    private TestRepository local;

    @BeforeEach
    void serve() throws IOException {
        served = new TestRepository(dir.resolve("served"));
        local = new TestRepository(dir.resolve("local"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/maven2/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/maven2/".length());
        requests.add(path);
        Path file = served.root().resolve(path);
        int status = failWith != 0 ? failWith : Files.isRegularFile(file) ? 200 : 404;
        byte[] body = status == 200 ? Files.readAllBytes(file) : new byte[0];
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2";
    }

    private List<MavenResolver.Resolved> resolve() throws ImageException {
        MavenRepository repository = new MavenRepository(List.of(url(), local.root().toString()), dir.resolve("cache"));
        return new MavenResolver(repository).resolve(List.of(MavenArtifact.jar("g", "root", "1")), "the test");
    }

    @Test
    void filesComeFromTheFirstRepositoryThatHasThemAndFetchedOnesAreNotFetchedAgain() throws Exception {
        served.artifact("g", "root", "1", dependencies(dependency("g", "lib", "2", "")));
        Files.writeString(served.root().resolve("g/root/1/root-1.jar"), "the root's jar");
        local.artifact("g", "lib", "2", "");
        List<MavenResolver.Resolved> first = resolve();
        assertEquals(List.of(dir.resolve("cache/g/root/1/root-1.jar"), local.root().resolve("g/lib/2/lib-2.jar")),
                first.stream().map(MavenResolver.Resolved::jar).toList());
        assertEquals("the root's jar", Files.readString(first.get(0).jar()));
        assertEquals(List.of("g/root/1/root-1.pom", "g/root/1/root-1.jar", "g/lib/2/lib-2.pom", "g/lib/2/lib-2.jar"),
                requests);

        requests.clear();
        List<MavenResolver.Resolved> second = resolve();
        assertEquals(first, second);
        // Only what the server does not have is asked again: a miss is not remembered.
        assertEquals(List.of("g/lib/2/lib-2.pom", "g/lib/2/lib-2.jar"), requests);
    }

    @Test
    void aServerErrorIsReportedWithTheUrl() throws Exception {
        failWith = 500;
        ImageException e = assertThrows(ImageException.class, this::resolve);
        assertEquals("cannot fetch " + url() + "/g/root/1/root-1.pom: the server answered 500", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("cache/g/root/1/root-1.pom")));
    }

    @Test
    void anArtifactInNoRepositoryNamesThemAll() throws Exception {
        ImageException e = assertThrows(ImageException.class, this::resolve);
        assertEquals("artifact g:root:1 (pom), needed by the test, is in none of the repositories " + url() + ", "
                + local.root(), e.getMessage());
    }

    @Test
    void whatWasFetchedStaysInTheCacheWhenTheModuleFolderIsDeleted() throws Exception {
        served.artifact("io.fjord", "fjord-cli", "9", "");
        Path cache = dir.resolve("cache");
        Path folder = RepositoryModules.fetch(List.of(url()), "9", Set.of("io.fjord.cli"), cache);
        assertTrue(Files.isRegularFile(folder.resolve("fjord-cli-9.jar")));
        RepositoryModules.delete(folder);
        assertFalse(Files.exists(folder));
        assertTrue(Files.isRegularFile(cache.resolve("repository/io/fjord/fjord-cli/9/fjord-cli-9.jar")));
    }

    @Test
    void aRemoteSnapshotIsFetchedUnderItsTimestampedNameAndCachedUnderItsPlainOne() throws Exception {
        served.artifact("g", "root", "1", dependencies(dependency("g", "snap", "1.0-SNAPSHOT", "")));
        Path folder = Files.createDirectories(served.root().resolve("g/snap/1.0-SNAPSHOT"));
        Files.writeString(folder.resolve("maven-metadata.xml"), "<metadata><groupId>g</groupId><artifactId>snap</artifactId>"
                + "<versioning><snapshot><timestamp>20261207.101500</timestamp><buildNumber>3</buildNumber></snapshot>"
                + "<snapshotVersions>"
                + "<snapshotVersion><extension>jar</extension><value>1.0-20261207.101500-3</value></snapshotVersion>"
                + "<snapshotVersion><classifier>sources</classifier><extension>jar</extension><value>wrong</value>"
                + "</snapshotVersion></snapshotVersions></versioning></metadata>");
        // No snapshotVersion for the POM: the timestamp and build number name it.
        Files.writeString(folder.resolve("snap-1.0-20261207.101500-3.pom"),
                "<project><groupId>g</groupId><artifactId>snap</artifactId><version>1.0-SNAPSHOT</version></project>");
        Files.writeString(folder.resolve("snap-1.0-20261207.101500-3.jar"), "build 3");
        List<MavenResolver.Resolved> first = resolve();
        Path snap = dir.resolve("cache/g/snap/1.0-SNAPSHOT/snap-1.0-SNAPSHOT.jar");
        assertEquals(snap, first.get(1).jar());
        assertEquals("build 3", Files.readString(snap));
        assertFalse(Files.exists(snap.resolveSibling("maven-metadata.xml")), "the metadata is not kept");

        requests.clear();
        assertEquals(first, resolve());
        assertEquals(List.of(), requests);
    }
}
