package io.fjord.clustertests;

import io.fjord.kafkatesting.KafkaBroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Three Apache Kafka brokers in KRaft combined mode (each a broker and a controller voter), each
 * in its own JVM from the jars the build fetched, for side-by-side figures. Benchmarks only.
 */
final class KafkaCluster implements AutoCloseable {

    private final Path root;
    private final Path lib;
    private final int[] ports = new int[4];
    private final Process[] processes = new Process[4];
    private final Path[] configs = new Path[4];

    private KafkaCluster(Path root) throws IOException {
        this.root = root;
        Properties settings = new Properties();
        try (InputStream in = KafkaCluster.class.getResourceAsStream("/kafka-fixture.properties")) {
            settings.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        this.lib = Path.of(settings.getProperty("kafka.lib"));
    }

    static KafkaCluster start(Path root, long sessionTimeoutMs) throws Exception {
        KafkaCluster c = new KafkaCluster(root);
        int[] controllerPorts = new int[4];
        StringBuilder voters = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            c.ports[id] = freePort();
            controllerPorts[id] = freePort();
            voters.append(id == 1 ? "" : ",").append(id).append("@127.0.0.1:").append(controllerPorts[id]);
        }
        String clusterId = KafkaBroker.clusterId();
        for (int id = 1; id <= 3; id++) {
            Path dir = Files.createDirectories(root.resolve("kafka-" + id));
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", Integer.toString(id));
            p.setProperty("controller.quorum.voters", voters.toString());
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + c.ports[id] + ",CONTROLLER://127.0.0.1:" + controllerPorts[id]);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + c.ports[id]);
            p.setProperty("log.dirs", dir.resolve("data").toString());
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("broker.session.timeout.ms", Long.toString(sessionTimeoutMs));
            c.configs[id] = dir.resolve("server.properties");
            try (var out = Files.newOutputStream(c.configs[id])) {
                p.store(out, "benchmark broker");
            }
            Process format = c.java(dir, "format.out", "kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                    c.configs[id].toString());
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IOException("format failed: " + Files.readString(dir.resolve("format.out")));
            }
        }
        for (int id = 1; id <= 3; id++) {
            c.launch(id);
        }
        return c;
    }

    void launch(int id) throws IOException {
        processes[id] = java(root.resolve("kafka-" + id), "broker.out", "kafka.Kafka", configs[id].toString());
    }

    void kill(int id) throws InterruptedException {
        processes[id].destroyForcibly();
        processes[id].waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Kafka's controlled shutdown; waits for the broker to exit. */
    void stop(int id) throws InterruptedException {
        processes[id].destroy();
        processes[id].waitFor(60, TimeUnit.SECONDS);
    }

    /** The process ids of the live brokers. */
    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            if (processes[id] != null && processes[id].isAlive()) {
                out.add(processes[id].pid());
            }
        }
        return out;
    }

    String bootstrap() {
        List<String> out = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            if (processes[id] != null && processes[id].isAlive()) {
                out.add("127.0.0.1:" + ports[id]);
            }
        }
        return String.join(",", out);
    }

    private Process java(Path dir, String output, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseG1GC", "-cp", lib.resolve("*").toString(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(output).toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
