package io.fjord.broker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A broker in a separate JVM ({@link ForkedBrokerMain}) started with this JVM's {@code java} and
 * the jars and classes the tests run with, so a test can kill it with {@code kill -9}
 * ({@link Process#destroyForcibly()}) and restart it on the same data. The child's output goes to
 * a file in the data dir's parent so a failed start can be diagnosed.
 */
final class ForkedBroker implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 120_000;

    private final Process process;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
    final int port;

    private ForkedBroker(Path dataDir, int port, Map<String, String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small heap: the broker must not need more, and the machine is shared.
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(classPath());
        command.add(ForkedBrokerMain.class.getName());
        command.add("node.id=1");
        command.add("listeners=PLAINTEXT://127.0.0.1:" + port);
        command.add("log.dirs=" + dataDir);
        command.add("offsets.topic.replication.factor=1");
        command.add("num.network.threads=2");
        command.add("num.io.threads=2");
        extra.forEach((k, v) -> command.add(k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + "-broker.err").toFile()));
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                // The process died: the waiting side sees no READY line and reports it.
            }
        }, "forked-broker-stdout");
        reader.setDaemon(true);
        reader.start();
        String ready = awaitLine("READY ", START_TIMEOUT_MS);
        this.port = Integer.parseInt(ready.substring("READY ".length()).trim());
    }

    /** Starts a broker on {@code dataDir}, on a free port when {@code port} is 0. */
    static ForkedBroker start(Path dataDir, int port, Map<String, String> extra) throws IOException, InterruptedException {
        return new ForkedBroker(dataDir, port, extra);
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Kills the JVM without any chance to flush or close (SIGKILL) and waits until it is gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            fail("the broker process did not die after SIGKILL");
        }
    }

    /** Asks for a clean shutdown and waits for it. */
    void stopCleanly() throws IOException, InterruptedException {
        OutputStream in = process.getOutputStream();
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        awaitLine("STOPPED", START_TIMEOUT_MS);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            fail("the broker process did not exit after a clean shutdown");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private String awaitLine(String prefix, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                fail("the broker process exited with " + process.exitValue() + " before printing " + prefix);
            }
            if (left <= 0) {
                fail("the broker process did not print " + prefix + " in " + timeoutMs + " ms");
            }
        }
    }

    /**
     * Everything this JVM runs the tests with: the module path and class path entries, and the
     * folder of the test classes (patched into the module, so on neither path).
     */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(testClassesDir());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String testClassesDir() {
        String resource = ForkedBrokerMain.class.getName().replace('.', '/') + ".class";
        URL url = ForkedBrokerMain.class.getResource("/" + resource);
        try {
            String file = Path.of(url.toURI()).toString();
            return file.substring(0, file.length() - resource.length());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the test classes from " + url, e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
