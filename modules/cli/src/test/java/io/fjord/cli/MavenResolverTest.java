package io.fjord.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.fjord.cli.TestRepository.dependencies;
import static io.fjord.cli.TestRepository.dependency;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolution from POMs written to a temporary repository: what Maven would put on the runtime class path. */
class MavenResolverTest {

    @TempDir
    Path dir;

    private TestRepository repo;

    @BeforeEach
    void createRepository() {
        repo = new TestRepository(dir.resolve("repo"));
    }

    private List<String> resolve(String artifactId, String version) throws ImageException {
        MavenRepository repository = new MavenRepository(List.of(repo.root().toString()), dir.resolve("cache"));
        return new MavenResolver(repository).resolve(List.of(MavenArtifact.jar("g", artifactId, version)), "the test")
                .stream().map(r -> r.artifact().fileName()).toList();
    }

    @Test
    void parentsPropertiesAndManagementWithAnImportedBomGiveTheVersions() throws Exception {
        repo.pom("g", "bom", "1", "<packaging>pom</packaging><dependencyManagement>" + dependencies(
                dependency("g", "c", "3.0", ""), dependency("g", "d", "9.9", "")) + "</dependencyManagement>");
        repo.pom("g", "grandparent", "1", "<packaging>pom</packaging><properties><base.version>2.0</base.version>"
                + "</properties>");
        repo.rawPom("g", "parent", "1", "<parent><groupId>g</groupId><artifactId>grandparent</artifactId>"
                + "<version>1</version></parent><artifactId>parent</artifactId><packaging>pom</packaging>"
                + "<properties><a.version>${base.version}</a.version><b.version>${a.version}</b.version></properties>"
                + "<dependencyManagement>" + dependencies(
                        dependency("g", "a", "${a.version}", ""),
                        dependency("g", "b", "${b.version}", "<scope>runtime</scope>"),
                        dependency("g", "d", "4.0", ""),
                        dependency("g", "bom", "1", "<type>pom</type><scope>import</scope>"))
                + "</dependencyManagement>"
                // Inherited by every child, with the child's version.
                + dependencies(dependency("${project.groupId}", "inherited", "${project.version}", "")));
        repo.rawPom("g", "child", "5", "<parent><groupId>g</groupId><artifactId>parent</artifactId><version>1</version>"
                + "</parent><artifactId>child</artifactId><version>5</version>"
                // The child's own value wins over the grandparent's.
                + "<properties><base.version>2.1</base.version></properties>"
                + dependencies(dependency("g", "a", null, ""), dependency("g", "b", null, ""),
                        dependency("g", "c", null, ""), dependency("g", "d", null, ""),
                        dependency("${project.groupId}", "sibling", "${project.version}", "")));
        repo.jar("g", "child", "5");
        for (String[] a : new String[][] {{"a", "2.1"}, {"b", "2.1"}, {"c", "3.0"}, {"d", "4.0"}, {"inherited", "5"},
                {"sibling", "5"}}) {
            repo.artifact("g", a[0], a[1], "");
        }
        assertEquals(List.of("child-5.jar", "inherited-5.jar", "a-2.1.jar", "b-2.1.jar", "c-3.0.jar", "d-4.0.jar",
                "sibling-5.jar"), resolve("child", "5"));
    }

    @Test
    void onlyCompileAndRuntimeDependenciesThatAreNotOptionalAreFollowed() throws Exception {
        repo.artifact("g", "root", "1", dependencies(
                dependency("g", "t", "1", "<scope>test</scope>"),
                dependency("g", "p", "1", "<scope>provided</scope>"),
                dependency("g", "s", "1", "<scope>system</scope><systemPath>/x.jar</systemPath>"),
                dependency("g", "o", "1", "<optional>true</optional>"),
                dependency("g", "r", "1", "<scope>runtime</scope>"),
                dependency("g", "c", "1", "<optional>false</optional>")));
        repo.artifact("g", "c", "1", dependencies(dependency("g", "x", "1", ""),
                dependency("g", "y", "1", "<scope>test</scope>")));
        repo.artifact("g", "r", "1", "").artifact("g", "x", "1", "");
        assertEquals(List.of("root-1.jar", "r-1.jar", "c-1.jar", "x-1.jar"), resolve("root", "1"));
    }

    @Test
    void exclusionsHoldForTheWholeSubtreeWildcardsIncluded() throws Exception {
        repo.artifact("g", "root", "1", dependencies(
                dependency("g", "a", "1", "<exclusions><exclusion><groupId>g</groupId><artifactId>x</artifactId>"
                        + "</exclusion></exclusions>"),
                dependency("g", "w", "1", "<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId>"
                        + "</exclusion></exclusions>")));
        repo.artifact("g", "a", "1", dependencies(dependency("g", "b", "1", "")));
        repo.artifact("g", "b", "1", dependencies(dependency("g", "x", "1", ""), dependency("g", "y", "1", "")));
        repo.artifact("g", "w", "1", dependencies(dependency("g", "z", "1", "")));
        repo.artifact("g", "x", "1", "").artifact("g", "y", "1", "").artifact("g", "z", "1", "");
        assertEquals(List.of("root-1.jar", "a-1.jar", "w-1.jar", "b-1.jar", "y-1.jar"), resolve("root", "1"));
    }

    @Test
    void theNearestVersionWinsThenTheFirstDeclaredAndTheRootsManagementOverridesTransitiveOnes() throws Exception {
        repo.artifact("g", "root", "1", "<dependencyManagement>" + dependencies(dependency("g", "q", "5", ""))
                + "</dependencyManagement>" + dependencies(dependency("g", "a", "1", ""), dependency("g", "b", "1", "")));
        repo.artifact("g", "a", "1", dependencies(dependency("g", "lib", "1.0", ""), dependency("g", "m", "1", "")));
        repo.artifact("g", "b", "1", dependencies(dependency("g", "c", "1", ""), dependency("g", "m", "2", "")));
        repo.artifact("g", "c", "1", dependencies(dependency("g", "lib", "2.0", ""), dependency("g", "q", "1", "")));
        repo.artifact("g", "lib", "1.0", dependencies(dependency("g", "one", "1", "")));
        repo.artifact("g", "lib", "2.0", dependencies(dependency("g", "two", "1", "")));
        repo.artifact("g", "m", "1", "").artifact("g", "m", "2", "").artifact("g", "one", "1", "")
                .artifact("g", "two", "1", "").artifact("g", "q", "5", "");
        assertEquals(List.of("root-1.jar", "a-1.jar", "b-1.jar", "lib-1.0.jar", "m-1.jar", "c-1.jar", "one-1.jar",
                "q-5.jar"), resolve("root", "1"));
    }

    @Test
    void aPomArtifactBringsItsDependenciesButNoJarAndClassifiersNameTheJar() throws Exception {
        repo.artifact("g", "root", "1", dependencies(dependency("g", "aggregate", "1", "<type>pom</type>"),
                dependency("g", "native", "1", "<classifier>linux-x86_64</classifier>")));
        repo.pom("g", "aggregate", "1", "<packaging>pom</packaging>" + dependencies(dependency("g", "x", "1", "")));
        repo.pom("g", "native", "1", "");
        Files.write(repo.root().resolve("g/native/1/native-1-linux-x86_64.jar"), new byte[0]);
        repo.artifact("g", "x", "1", "");
        assertEquals(List.of("root-1.jar", "native-1-linux-x86_64.jar", "x-1.jar"), resolve("root", "1"));
    }

    @Test
    void aMissingArtifactIsNamedWithWhoNeedsIt() throws Exception {
        repo.artifact("g", "root", "1", dependencies(dependency("g", "gone", "1", ""), dependency("g", "nojar", "1", "")));
        ImageException missingPom = assertThrows(ImageException.class, () -> resolve("root", "1"));
        assertEquals("artifact g:gone:1 (pom), needed by g:root:1, is in none of the repositories " + repo.root(),
                missingPom.getMessage());
        repo.artifact("g", "gone", "1", "").pom("g", "nojar", "1", "");
        ImageException missingJar = assertThrows(ImageException.class, () -> resolve("root", "1"));
        assertEquals("artifact g:nojar:1, needed by g:root:1, is in none of the repositories " + repo.root(),
                missingJar.getMessage());
    }

    @Test
    void aMissingParentIsNamedWithThePomThatNeedsIt() throws Exception {
        repo.rawPom("g", "orphan", "1", "<parent><groupId>g</groupId><artifactId>lost</artifactId><version>7</version>"
                + "</parent><artifactId>orphan</artifactId>");
        ImageException e = assertThrows(ImageException.class, () -> resolve("orphan", "1"));
        assertEquals("artifact g:lost:7 (pom), needed by " + repo.root().resolve("g/orphan/1/orphan-1.pom")
                + " as its parent, is in none of the repositories " + repo.root(), e.getMessage());
    }

    @Test
    void anUnreadablePomIsNamed() throws Exception {
        repo.artifact("g", "root", "1", dependencies(dependency("g", "broken", "1", "")));
        Path broken = repo.root().resolve("g/broken/1/broken-1.pom");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "<project><dependencies>");
        ImageException e = assertThrows(ImageException.class, () -> resolve("root", "1"));
        assertTrue(e.getMessage().startsWith("cannot read the POM " + broken + ": "), e.getMessage());
    }

    @Test
    void aDependencyWithoutVersionIsRefusedNamingIt() throws Exception {
        repo.artifact("g", "root", "1", dependencies(dependency("g", "a", "${undefined}", "")));
        ImageException e = assertThrows(ImageException.class, () -> resolve("root", "1"));
        assertEquals("the dependency g:a of g:root:1 has no version (${undefined})", e.getMessage());
    }
}
