package io.fjord.kafkatesting;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and standalone controller in one
 * process), in its own JVM, on two free loopback ports, with its data and output in a folder the
 * caller gives. The jars come from Maven Central through this module's build.
 *
 * <p>Start-up formats the storage with Kafka's storage tool, starts {@code kafka.Kafka} and waits
 * until the listener answers ApiVersions; the broker's output goes to {@code broker.out}; {@link #close()} stops it with SIGTERM (SIGKILL after 30 s).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 180_000;

    private final Process process;
    private final int port;
    private final Path dir;

    private KafkaBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The Kafka version the fixture runs. */
    public static String version() {
        return settings().getProperty("kafka.version");
    }

    /** Starts a broker with its files under {@code dir}, and {@code overrides} on top of the fixture's settings. */
    public static KafkaBroker start(Path dir, Map<String, String> overrides) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.setProperty("log.dirs", dir.resolve("data").toString());
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.putAll(overrides);
        Path config = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "test broker");
        }

        Process format = java(dir, "format.out", "kafka.tools.StorageTool", "format", "--standalone",
                "-t", clusterId(), "-c", config.toString());
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("Kafka's storage format failed: " + Files.readString(dir.resolve("format.out")));
        }
        Process broker = java(dir, "broker.out", "kafka.Kafka", config.toString());
        KafkaBroker started = new KafkaBroker(broker, port, dir);
        started.awaitStarted();
        return started;
    }

    /**
     * A cluster id as Kafka's storage tool expects one: a UUID in unpadded URL-safe base64, never
     * starting with '-' (as Kafka's own ids never do): the tool's argument parser would take
     * {@code -t -xyz...} for two options and fail the format.
     */
    public static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array();
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        Path out = dir.resolve("broker.out");
        while (System.nanoTime() < deadline) {
            if (answersApiVersions()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("Kafka's broker exited with " + process.exitValue() + ": " + Files.readString(out));
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("Kafka's broker did not start within " + START_TIMEOUT_MS + " ms: " + Files.readString(out));
    }

    /** Whether the broker's listener is up and answers an ApiVersions v0 request without error. */
    private boolean answersApiVersions() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10);
            out.writeShort(18); // ApiVersions
            out.writeShort(0);
            out.writeInt(1);
            out.writeShort(-1); // no client id
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readInt();
            return in.readInt() == 1 && in.readShort() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Process java(Path dir, String output, String mainClass, String... args) throws IOException {
        Properties settings = settings();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseG1GC");
        command.add("-cp");
        command.add(Path.of(settings.getProperty("kafka.lib")).resolve("*").toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(output).toFile()).start();
    }

    private static Properties settings() {
        Properties settings = new Properties();
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/kafka-fixture.properties")) {
            settings.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return settings;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops this broker and starts a new one on the same files, listening on the same port; this
     * instance is closed afterwards.
     */
    public KafkaBroker restart() throws IOException, InterruptedException {
        close();
        Process broker = java(dir, "broker.out", "kafka.Kafka", dir.resolve("server.properties").toString());
        KafkaBroker restarted = new KafkaBroker(broker, port, dir);
        restarted.awaitStarted();
        return restarted;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
