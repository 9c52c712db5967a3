package io.fjord.build.messages;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates one Java class per message spec ({@code *.json}) of a folder and adds the output to
 * the module's sources. The output folder is rewritten on every build, so a removed spec leaves
 * no stale class behind.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMessagesMojo extends AbstractMojo {

    /** The folder of spec files. */
    @Parameter(defaultValue = "${project.basedir}/src/main/messages", required = true)
    private File specDirectory;

    /** Where the classes are written. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/messages", required = true)
    private File outputDirectory;

    /** The package of the generated classes. */
    @Parameter(required = true)
    private String packageName;

    /** Whether the classes are test sources (specs that exercise the generator itself) rather than main ones. */
    @Parameter(defaultValue = "false")
    private boolean testSources;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        try {
            int count = MessageSources.generate(specDirectory.toPath(), outputDirectory.toPath(), packageName);
            getLog().info("Generated " + count + " message classes in " + packageName);
        } catch (SpecException e) {
            throw new MojoFailureException("Bad message spec: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Generating messages failed: " + e.getMessage(), e);
        }
        if (testSources) {
            project.addTestCompileSourceRoot(outputDirectory.getPath());
        } else {
            project.addCompileSourceRoot(outputDirectory.getPath());
        }
    }

    /** The build step without Maven: specs in, sources out. */
    static final class MessageSources {
        private MessageSources() {
        }

        static int generate(Path specs, Path output, String packageName) throws IOException {
            if (!Files.isDirectory(specs)) {
                throw new IOException("no spec folder " + specs);
            }
            Path packageDir = output.resolve(packageName.replace('.', '/'));
            if (Files.exists(output)) {
                try (Stream<Path> old = Files.walk(output)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(packageDir);
            List<Path> files;
            try (Stream<Path> listing = Files.list(specs)) {
                files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            }
            SpecReader reader = new SpecReader();
            MessageGenerator generator = new MessageGenerator(packageName);
            for (Path file : files) {
                MessageSpec spec = reader.read(file);
                String source = generator.generate(spec, file.getFileName().toString());
                Files.writeString(packageDir.resolve(spec.name() + ".java"), source, StandardCharsets.UTF_8);
            }
            return files.size();
        }
    }
}
