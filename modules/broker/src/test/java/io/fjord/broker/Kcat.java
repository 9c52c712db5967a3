package io.fjord.broker;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * librdkafka's command-line client kcat, run as a process against a test broker. Tests that need
 * it skip themselves when it is not on the {@code PATH}.
 */
final class Kcat {

    static final long PROCESS_TIMEOUT_S = 60;

    private Kcat() {
    }

    /** True when {@code kcat} is an executable on the {@code PATH}. */
    static boolean installed() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, "kcat"))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> command(String bootstrap, String... args) {
        List<String> command = new ArrayList<>();
        command.add("kcat");
        command.add("-b");
        command.add(bootstrap);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs kcat with {@code stdin} as its input and returns its standard output, failing on a
     * non-zero exit or a hang; its output files go to {@code dir}.
     */
    static String run(String bootstrap, Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = command(bootstrap, args);
        Path out = Files.createTempFile(dir, "kcat", ".out");
        Path err = Files.createTempFile(dir, "kcat", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
                fail(command + " did not finish in " + PROCESS_TIMEOUT_S + " s; stderr: " + read(err));
            }
            assertEquals(0, process.exitValue(), () -> command + " failed: " + read(err));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
            process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /** Starts a long-running kcat writing its standard output to {@code out} and its errors to {@code err}. */
    static Process start(String bootstrap, Path out, Path err, String... args) throws IOException {
        Process process = new ProcessBuilder(command(bootstrap, args))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        return process;
    }

    /** The file's text, or a note that it could not be read, for failure messages. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
