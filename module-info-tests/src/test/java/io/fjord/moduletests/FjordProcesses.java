package io.fjord.moduletests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs an image's {@code bin/fjord}: commands to completion, and brokers in the background. */
final class FjordProcesses {

    private static final Pattern READY = Pattern.compile("Fjord broker \\d+ ready on 127\\.0\\.0\\.1:(\\d+)");

    private FjordProcesses() {
    }

    /** A finished command: exit code and its standard output and error, merged. */
    record Run(int code, String out) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** A broker started from an image; closing it stops it with SIGTERM. */
    record Broker(Process process, int port) implements AutoCloseable {
        String bootstrap() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static Run runWithInput(Path image, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/fjord").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("FJORD_HEAP_OPTS");
        builder.environment().remove("FJORD_OPTS");
        builder.environment().remove("FJORD_JVM_PERFORMANCE_OPTS");
        builder.environment().remove("FJORD_HOME");
        Process p = builder.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "fjord " + String.join(" ", args) + " did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Run run(Path image, String... args) throws Exception {
        return runWithInput(image, "", args);
    }

    /** Starts {@code bin/fjord broker} on a free loopback port with its data in {@code dataDir}. */
    static Broker startBroker(Path image, Path dataDir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(image.resolve("bin/fjord").toString(), "broker",
                "--override", "listeners=PLAINTEXT://127.0.0.1:0",
                "--override", "log.dirs=" + dataDir)
                .redirectErrorStream(true);
        builder.environment().put("FJORD_HEAP_OPTS", "-Xmx256M");
        Process p = builder.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        // readLine returns null when the process ends, so a broker that fails ends the wait.
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            seen.append(line).append('\n');
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> drain(in), "broker-output");
                drain.setDaemon(true);
                drain.start();
                return new Broker(p, Integer.parseInt(m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the broker of " + image + " did not start:\n" + seen);
    }

    private static void drain(BufferedReader in) {
        try {
            while (in.readLine() != null) {
                // The broker's log is not needed once it is ready; reading keeps its pipe from filling.
            }
        } catch (IOException e) {
            // The process ended.
        }
    }
}
