package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.fjord.cli.TestRepository.dependencies;
import static io.fjord.cli.TestRepository.dependency;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryModulesTest {

    @TempDir
    Path dir;

    @Test
    void theModulesAskedForAndTheCommandsModuleAreFetchedWithTheirDependenciesIntoANewFolder() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        repo.artifact("io.fjord", "fjord-cli", "9", dependencies(dependency("info.picocli", "picocli", "4", "")));
        repo.artifact("io.fjord", "fjord-client", "9", dependencies(
                dependency("io.fjord", "fjord-api", "9", "<scope>test</scope>")));
        repo.artifact("info.picocli", "picocli", "4", "");
        Path folder = RepositoryModules.fetch(List.of(repo.root().toString()), "9",
                Set.of("io.fjord.client", "java.logging"), dir.resolve("cache"));
        assertEquals(dir.resolve("cache"), folder.getParent());
        try (Stream<Path> jars = Files.list(folder)) {
            assertEquals(List.of("fjord-cli-9.jar", "fjord-client-9.jar", "picocli-4.jar"),
                    jars.map(p -> p.getFileName().toString()).sorted().toList());
        }
        RepositoryModules.delete(folder);
        assertFalse(Files.exists(dir.resolve("cache")), "nothing was fetched over http: no cache is left");
    }

    @Test
    void aFjordModuleThatIsNotPublishedIsRefused() {
        ImageException e = assertThrows(ImageException.class, () -> RepositoryModules.fetch(
                List.of(dir.toString()), "9", Set.of("io.fjord.nope"), dir.resolve("cache")));
        assertTrue(e.getMessage().startsWith("module io.fjord.nope is not one of Fjord's published modules "
                + "(io.fjord.api, io.fjord.assignors, "), e.getMessage());
    }

    @Test
    void everyPublishedModuleIsInTheArtifactTable() {
        assertEquals("fjord-cli", RepositoryModules.artifacts().get(ImageBuilder.CLI));
        assertTrue(RepositoryModules.artifacts().keySet().stream().allMatch(m -> m.startsWith("io.fjord.")));
    }

    @Test
    void aRepositoryThatIsNoFolderIsRefused() {
        assertEquals("fjord image: repository " + dir.resolve("nowhere") + " is neither a folder nor an http(s) URL",
                fjordImage("--output", dir.resolve("image").toString(), "--repository", dir.resolve("nowhere").toString()));
    }

    @Test
    void fjordImageTakesTheRunningVersionByDefaultAndNamesTheArtifactNoRepositoryHas() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals("fjord image: artifact io.fjord:fjord-cli:" + FjordVersion.fjord() + " (pom), needed by the image, "
                + "is in none of the repositories " + empty,
                fjordImage("--output", dir.resolve("image").toString(), "--repository", empty.toString()));
        assertFalse(Files.exists(dir.resolve("image")));
    }

    @Test
    void fjordImageTakesItsModulesFromOneSourceAndAVersionOnlyWithARepository() {
        assertEquals("fjord image: give either --module-path or --repository, not both", fjordImage("--output",
                dir.resolve("image").toString(), "--repository", dir.toString(), "--module-path", dir.toString()));
        assertEquals("fjord image: --fjord-version goes with --repository",
                fjordImage("--output", dir.resolve("image").toString(), "--fjord-version", "9"));
    }

    /** Runs {@code fjord image ARGS}, which must fail, and returns what it printed on standard error. */
    private static String fjordImage(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "image";
        System.arraycopy(args, 0, all, 1, args.length);
        assertEquals(1, Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all), out.toString());
        return err.toString().strip();
    }
}
