package io.fjord.tooltests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of Kafka's command-line tools as its own process, with this test's class path (which
 * holds Kafka's tool jars), as its shell script would: {@code kafka-topics.sh} is {@code
 * org.apache.kafka.tools.TopicCommand}, and so on.
 */
final class KafkaTool {

    static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
    static final String GET_OFFSETS = "org.apache.kafka.tools.GetOffsetShell";
    static final String FEATURES = "org.apache.kafka.tools.FeatureCommand";
    static final String CONFIGS = "org.apache.kafka.tools.ConfigCommand";
    static final String LOG_DIRS = "org.apache.kafka.tools.LogDirsCommand";

    /** What a run printed and how it ended. */
    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private KafkaTool() {
    }

    static Result run(Path workDir, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "tool", ".out");
        Path err = Files.createTempFile(workDir, "tool", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(mainClass + " did not finish in two minutes: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
