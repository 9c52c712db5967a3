package io.fjord.clustertests;

import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Fjord cluster for tests: ZooKeeper in the test JVM (so it outlives every broker kill), and
 * brokers from the built image, each {@code bin/fjord broker} in its own process on a free
 * 127.0.0.1 port (kept across restarts) with its own data folder, which survives restarts. Brokers are started, stopped
 * with SIGTERM (a controlled shutdown), killed with SIGKILL, and frozen and thawed with SIGSTOP and
 * SIGCONT by the test.
 */
final class FjordCluster implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Fjord broker (\\d+) ready on ([^:]+):(\\d+)");

    /** One broker process and where it listens. */
    static final class Node {
        final int id;
        final Path dataDir;
        Process process;
        int port;
        /** Frozen with kill -STOP: alive, but left out of {@link #bootstrap()}. */
        volatile boolean paused;
        /** Everything the broker printed, over all its starts (each one marked), for failure reports. */
        final StringBuffer output = new StringBuffer();

        Node(int id, Path dataDir) {
            this.id = id;
            this.dataDir = dataDir;
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

    }

    final ZooKeeperFixture zk;
    private final Path root;
    private final Path image;
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final Map<String, String> overrides;

    private FjordCluster(ZooKeeperFixture zk, Path root, Map<String, String> overrides) {
        this.zk = zk;
        this.root = root;
        this.image = Path.of(System.getProperty("fjord.image"));
        this.overrides = overrides;
    }

    /** Starts ZooKeeper and {@code brokers} brokers numbered from 1, and waits for each to be ready. */
    static FjordCluster start(int brokers, Map<String, String> overrides) throws Exception {
        FjordCluster c = new FjordCluster(ZooKeeperFixture.start(), Files.createTempDirectory("fjord-cluster"), overrides);
        try {
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            for (int id = 1; id <= brokers; id++) {
                Node n = new Node(id, c.root.resolve("broker-" + id));
                c.nodes.put(id, n);
                starting.add(c.launch(n));
            }
            for (CompletableFuture<Void> f : starting) {
                f.get(60, TimeUnit.SECONDS);
            }
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private CompletableFuture<Void> launch(Node n) throws IOException {
        Path image = this.image;
        if (!Files.isExecutable(image.resolve("bin/fjord"))) {
            fail("no image at " + image + ": build it with the whole reactor (dist runs before these tests)");
        }
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/fjord").toString(), "broker",
                "--override", "node.id=" + n.id,
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + n.port,
                "--override", "log.dirs=" + n.dataDir,
                "--override", "zookeeper.connect=" + zk.connectString(),
                "--override", "zookeeper.session.timeout.ms=6000",
                "--override", "group.initial.rebalance.delay.ms=0",
                "--override", "offsets.topic.replication.factor=3",
                "--override", "controlled.shutdown.retry.backoff.ms=500"));
        overrides.forEach((k, v) -> command.addAll(List.of("--override", k + "=" + v)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FJORD_HEAP_OPTS", "-Xmx256m");
        pb.environment().remove("FJORD_OPTS");
        pb.environment().remove("FJORD_JVM_PERFORMANCE_OPTS");
        n.output.append("---- started at ").append(Instant.now()).append('\n');
        n.paused = false;
        n.process = pb.start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(n.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    n.output.append(line).append('\n');
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        n.port = Integer.parseInt(m.group(3));
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("broker " + n.id + " ended before it was ready:\n"
                    + n.output));
        }, "broker-" + n.id + "-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    /**
     * Starts a stopped or killed broker again, on the same data and the same port, and waits until
     * it is ready. A broker comes back where it was, as a real one does: a client that was given
     * the brokers' addresses once must find them after each broker has been restarted (a client
     * that can reach none of the brokers it knows goes back to its bootstrap addresses). The port
     * was the kernel's pick, so an outgoing connection may hold it for a moment: binding is retried.
     */
    void restart(int id) throws Exception {
        Node n = nodes.get(id);
        for (int attempt = 1; ; attempt++) {
            int from = n.output.length();
            try {
                launch(n).get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (attempt == 5 || !n.output.substring(from).contains("Address already in use")) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /** kill -9. */
    void kill(int id) throws InterruptedException {
        Node n = nodes.get(id);
        n.process.destroyForcibly();
        n.process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and waits for the broker to exit (after its controlled shutdown). */
    void stop(int id) throws InterruptedException {
        Node n = nodes.get(id);
        n.process.destroy();
        if (!n.process.waitFor(60, TimeUnit.SECONDS)) {
            fail("broker " + id + " did not stop on SIGTERM:\n" + n.output);
        }
    }

    /** kill -STOP: the broker freezes (its ZooKeeper session expires if it stays frozen long enough). */
    void pause(int id) throws Exception {
        signal(id, "-STOP");
        nodes.get(id).paused = true;
    }

    /** kill -CONT: a paused broker runs on from where it froze. */
    void resume(int id) throws Exception {
        signal(id, "-CONT");
        nodes.get(id).paused = false;
    }

    private void signal(int id, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(nodes.get(id).process.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill " + signal + " of broker " + id + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Stops every live broker with SIGTERM, one at a time, so each one's logs and checkpoints are complete. */
    void stopAll() throws InterruptedException {
        for (Node n : nodes.values()) {
            if (n.alive()) {
                stop(n.id);
            }
        }
    }

    Node node(int id) {
        return nodes.get(id);
    }

    List<Integer> ids() {
        return new ArrayList<>(nodes.keySet());
    }

    /** The live brokers' addresses, for {@code bootstrap.servers}; a paused broker is left out. */
    String bootstrap() {
        List<String> out = new ArrayList<>();
        nodes.values().stream().filter(n -> n.alive() && !n.paused).forEach(n -> out.add("127.0.0.1:" + n.port));
        return String.join(",", out);
    }

    /** Prints the last {@code lines} lines each broker wrote, for a failed test's report. */
    void printOutputs(int lines) {
        for (Node n : nodes.values()) {
            String[] all = n.output.toString().split("\n");
            System.out.println("---- broker " + n.id + " (last " + Math.min(lines, all.length) + " lines)");
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                System.out.println(all[i]);
            }
            if (n.alive() && !n.paused) {
                printThreads(n);
            }
        }
    }

    /** The broker's threads (jcmd Thread.print), to tell a stuck broker from a slow one. */
    private static void printThreads(Node n) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(n.process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            System.out.println("---- threads of broker " + n.id);
            System.out.println(dump);
        } catch (IOException e) {
            System.out.println("---- no thread dump of broker " + n.id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One broker's address. */
    String bootstrapOf(int id) {
        return "127.0.0.1:" + nodes.get(id).port;
    }

    /** Waits until every broker sees {@code count} live brokers (a restarted one included). */
    void awaitLiveBrokers(int count) throws InterruptedException {
        try (Admin admin = admin()) {
            await(count + " live brokers", Duration.ofSeconds(90), () -> admin.describeCluster().nodes().get().size() == count);
        }
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(p);
    }

    /**
     * An admin client for polling while brokers fail: a request to a frozen broker (which the
     * client's last metadata may still name) gives up after 4 s, so the next poll asks again
     * with fresher metadata instead of waiting out Kafka's 30 s default.
     */
    Admin quickAdmin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        return Admin.create(p);
    }

    /** A condition that may fail while the cluster is changing; a failure counts as "not yet". */
    interface Check {
        boolean test() throws Exception;
    }

    static void await(String what, Duration timeout, Check condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.test()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e; // not yet: the cluster is changing
            }
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting for " + what + (last == null ? "" : "; last: " + last));
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        for (Node n : nodes.values()) {
            if (n.process != null) {
                n.process.destroyForcibly();
                n.process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        zk.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
