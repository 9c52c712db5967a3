package io.fjord.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code bin/fjord} process of an image: a command run to its end, or a broker kept running
 * until closed. Output is read by a thread of its own so a silent process never blocks the caller
 * past its deadline.
 *
 * <p>Invariant: a broker object exists only for a broker that printed its ready line.
 */
final class ImageProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Fjord broker \\d+ ready on [^:]+:(\\d+)");
    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ImageProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "fjord-process-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code bin/fjord args} with {@code heap} as its heap options, or the launcher's own
     * default for the command when {@code heap} is null; JVM options from the caller's environment
     * are not passed on.
     */
    static ImageProcess start(Path image, String heap, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(image.resolve("bin/fjord").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (heap == null) {
            builder.environment().remove("FJORD_HEAP_OPTS");
        } else {
            builder.environment().put("FJORD_HEAP_OPTS", heap);
        }
        builder.environment().remove("FJORD_OPTS");
        builder.environment().remove("FJORD_JVM_PERFORMANCE_OPTS");
        builder.environment().remove("FJORD_HOME");
        return new ImageProcess(builder.start());
    }

    /** Waits for the broker's ready line and returns its port. */
    int awaitBrokerPort(long timeoutMs) throws ImageException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                throw new ImageException("the broker did not start" + (line == null ? " within " + timeoutMs + " ms" : "")
                        + ": " + String.join(" | ", tail()));
            }
            Matcher m = READY.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
    }

    /** Waits for the process to end and returns its output, or fails past the deadline. */
    List<String> awaitExit(long timeoutMs) throws ImageException, InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new ImageException("did not finish within " + timeoutMs + " ms: " + String.join(" | ", tail()));
        }
        List<String> out = new ArrayList<>();
        for (String line = lines.poll(5, TimeUnit.SECONDS); line != null && !line.equals(END);
             line = lines.poll(5, TimeUnit.SECONDS)) {
            out.add(line);
        }
        if (process.exitValue() != 0) {
            throw new ImageException("exited with " + process.exitValue() + ": " + String.join(" | ", lastOf(out)));
        }
        return out;
    }

    /**
     * Waits for each process in turn and returns their outputs; a failure names the {@code role}
     * ("producer", "consumer") before what went wrong.
     */
    static List<List<String>> awaitAll(List<ImageProcess> processes, long timeoutMs, String role)
            throws ImageException, InterruptedException {
        List<List<String>> outputs = new ArrayList<>();
        for (ImageProcess p : processes) {
            try {
                outputs.add(p.awaitExit(timeoutMs));
            } catch (ImageException e) {
                throw new ImageException(role + " " + e.getMessage());
            }
        }
        return outputs;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Stops the process with SIGTERM (a broker shuts down cleanly), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (seen) {
                    seen.add(line);
                    if (seen.size() > 20) {
                        seen.remove(0);
                    }
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // The process ended: the end marker below says so.
        }
        lines.add(END);
    }

    private List<String> tail() {
        synchronized (seen) {
            return lastOf(seen);
        }
    }

    private static List<String> lastOf(List<String> lines) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
