package io.fjord.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

/**
 * Runs the JDK's jlink: in this process through {@link ToolProvider} when the running runtime is
 * a JDK, else the {@code bin/jlink} of a JDK given with {@code --jdk} or by {@code JAVA_HOME}.
 * The JDK's modules come from that JDK's {@code jmods/}, so they always match the linker.
 */
final class Jlink {

    /** The JDK modules the codecs and Netty reach through sun.misc.Unsafe, which nothing declares. */
    static final String UNSUPPORTED = "jdk.unsupported";

    /** Modules whose JNI libraries need native access from JDK 22 on. */
    private static final List<String> NATIVE = List.of("com.github.luben.zstd_jni", "org.lz4.java");

    private final Path jdk;
    private final Optional<ToolProvider> inProcess;
    private final int feature;

    private Jlink(Path jdk, Optional<ToolProvider> inProcess, int feature) {
        this.jdk = jdk;
        this.inProcess = inProcess;
        this.feature = feature;
    }

    /** The jlink of {@code jdk}; when null, of the running JDK or of {@code JAVA_HOME}. */
    static Jlink find(Path jdk) throws ImageException {
        if (jdk == null) {
            Optional<ToolProvider> tool = ToolProvider.findFirst("jlink");
            Path home = Path.of(System.getProperty("java.home"));
            if (tool.isPresent() && Files.isDirectory(home.resolve("jmods"))) {
                return new Jlink(home, tool, Runtime.version().feature());
            }
            String javaHome = System.getenv("JAVA_HOME");
            if (javaHome == null || javaHome.isBlank()) {
                throw new ImageException("no jlink: this runtime is not a JDK; give one with --jdk DIR or JAVA_HOME "
                        + "(a JDK " + Runtime.version().feature() + " or newer with its jmods/ folder)");
            }
            jdk = Path.of(javaHome);
        }
        if (!Files.isExecutable(jdk.resolve("bin/jlink")) || !Files.isDirectory(jdk.resolve("jmods"))) {
            throw new ImageException("no jlink in " + jdk + ": a JDK with bin/jlink and jmods/ is needed");
        }
        return new Jlink(jdk, Optional.empty(), featureOf(jdk));
    }

    /** Links {@code modules} (names) from {@code modulePath} and the JDK into {@code output}. */
    void link(Path modulePath, Set<String> modules, Path output) throws ImageException {
        List<String> args = new ArrayList<>(List.of(
                "--module-path", jdk.resolve("jmods") + File.pathSeparator + modulePath,
                "--add-modules", String.join(",", modules),
                "--output", output.toString(),
                "--strip-debug", "--no-header-files", "--no-man-pages",
                // JDK 21 renamed the levels: 2 is zip-6.
                "--compress=" + (feature >= 21 ? "zip-6" : "2")));
        List<String> nativeModules = NATIVE.stream().filter(modules::contains).toList();
        if (feature >= 22 && !nativeModules.isEmpty()) {
            args.add("--add-options=--enable-native-access=" + String.join(",", nativeModules));
        }
        StringWriter log = new StringWriter();
        int exit;
        if (inProcess.isPresent()) {
            PrintWriter to = new PrintWriter(log);
            exit = inProcess.get().run(to, to, args.toArray(String[]::new));
            to.flush();
        } else {
            exit = runProcess(args, log);
        }
        if (exit != 0) {
            throw new ImageException("jlink failed (exit " + exit + "): " + log.toString().strip());
        }
    }

    private int runProcess(List<String> args, StringWriter log) throws ImageException {
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin/jlink").toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            log.write(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return p.waitFor();
        } catch (IOException e) {
            throw new ImageException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while jlink ran");
        }
    }

    /** The feature release of a JDK, from its {@code release} file (JAVA_VERSION="17.0.15"). */
    private static int featureOf(Path jdk) throws ImageException {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Runtime.Version.parse(version).feature();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageException("cannot read the Java version of " + jdk + ": " + e.getMessage());
        }
        throw new ImageException("cannot read the Java version of " + jdk + ": no JAVA_VERSION in its release file");
    }

    /** The modules of a linked image, from its {@code release} file. */
    static List<String> modulesOf(Path image) throws IOException {
        for (String line : Files.readAllLines(image.resolve("release"))) {
            if (line.startsWith("MODULES=")) {
                return List.of(line.substring("MODULES=".length()).replace("\"", "").trim().split(" ")).stream()
                        .sorted().collect(Collectors.toList());
            }
        }
        return List.of();
    }
}
