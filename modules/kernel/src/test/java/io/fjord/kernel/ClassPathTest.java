package io.fjord.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Providers declared in META-INF/services work when nothing is a module: kernel, API and plugin on a class path. */
class ClassPathTest {

    @TempDir
    Path dir;

    @Test
    void aProviderJarOnThePlainClassPathIsFoundThroughItsServicesFile() throws Exception {
        Path jar = PluginJar.create()
                .moduleInfo("module test.cp { requires io.fjord.api; provides io.fjord.api.compression.CompressionCodec"
                        + " with test.cp.CpCodec; }")
                .codec("test.cp.CpCodec", "cp")
                .codecServices("test.cp.CpCodec")
                .writeTo(dir.resolve("cp.jar"));
        String classPath = String.join(File.pathSeparator, location(PluginRuntime.class).toString(),
                PluginJar.apiLocation().toString(), location(ClassPathProbe.class).toString(), jar.toString());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, ClassPathProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        assertEquals(List.of("cp|unnamed|class path " + jar + "|7"), lines);
    }

    private static Path location(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
