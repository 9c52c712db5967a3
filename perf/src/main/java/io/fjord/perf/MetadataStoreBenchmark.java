package io.fjord.perf;

import io.fjord.controller.ControllerConfig;
import io.fjord.controller.NewTopic;
import io.fjord.controller.SingleNodeMetadataStore;
import io.fjord.controller.TopicImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The single-node metadata store: the lock-free snapshot lookup every Produce and Fetch does,
 * and the cost of a committed change (the whole metadata file rewritten, fsynced and renamed)
 * as the number of topics grows.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetadataStoreBenchmark {

    @Param({"10", "1000"})
    int topics;

    private Path dir;
    private SingleNodeMetadataStore store;
    private String[] names;
    private long created;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fjord-metadata-bench");
        store = SingleNodeMetadataStore.open(ControllerConfig.from(Map.of("node.id", "0", "log.dirs", dir.toString())));
        names = new String[topics];
        for (int i = 0; i < topics; i++) {
            names[i] = "topic-" + i;
            store.createTopic(NewTopic.of(names[i], 4, 1), false);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A handler thread's lookup of a topic and partition in the current snapshot; four threads at once. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Threads(4)
    public int snapshotLookup() {
        TopicImage topic = store.image().topic(names[ThreadLocalRandom.current().nextInt(names.length)]);
        return topic.partition(1).leader();
    }

    /** One topic created and deleted: two durable commits. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public TopicImage createAndDeleteTopic() {
        String name = "bench-" + created++;
        store.createTopic(NewTopic.of(name, 4, 1), false);
        return store.deleteTopic(name);
    }
}
