package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertFalse(Files.exists(folder));
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
}
