package io.fjord.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.common.errors.Errors;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeLogDirs through Kafka's admin client ({@code describeLogDirs}, {@code
 * describeReplicaLogDirs}) and Kafka's own request classes: every log dir of a broker with two, the
 * volume's space, each partition in the dir its folder is in with its size on disk, and the
 * filtering of a request that names partitions.
 */
class LogDirsTest {

    @TempDir
    Path first;
    @TempDir
    Path second;

    private BrokerFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Admin startWithTwoDirsAndData() throws Exception {
        fixture = BrokerFixture.start(first, Map.of("log.dirs", first + "," + second));
        Admin admin = fixture.admin();
        admin.createTopics(List.of(new NewTopic("a", 4, (short) 1), new NewTopic("b", 1, (short) 1))).all().get();
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("a", i % 4, null, ("record-" + i).getBytes()));
            }
            producer.flush();
        }
        return admin;
    }

    /** The log dir that holds the folder of {@code tp}. */
    private Path dirOf(String topic, int partition) {
        for (Path dir : List.of(first, second)) {
            if (Files.isDirectory(dir.resolve(topic + "-" + partition))) {
                return dir;
            }
        }
        throw new AssertionError("no folder for " + topic + "-" + partition);
    }

    private static long segmentBytes(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    @Test
    void everyLogDirWithItsVolumeAndThePartitionsInIt() throws Exception {
        try (Admin admin = startWithTwoDirsAndData()) {
            int node = fixture.broker().config().nodeId();
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(node)).allDescriptions().get().get(node);
            assertEquals(Set.of(first.toAbsolutePath().toString(), second.toAbsolutePath().toString()), dirs.keySet());
            Set<TopicPartition> seen = new java.util.HashSet<>();
            for (Path dir : List.of(first, second)) {
                LogDirDescription description = dirs.get(dir.toAbsolutePath().toString());
                assertNull(description.error());
                FileStore store = Files.getFileStore(dir);
                assertEquals(store.getTotalSpace(), description.totalBytes().getAsLong());
                long usable = description.usableBytes().getAsLong();
                assertTrue(usable > 0 && usable <= store.getTotalSpace(), "usable bytes " + usable);
                for (Map.Entry<TopicPartition, ReplicaInfo> e : description.replicaInfos().entrySet()) {
                    TopicPartition tp = e.getKey();
                    assertTrue(seen.add(tp), tp + " is in one dir only");
                    assertEquals(dir, dirOf(tp.topic(), tp.partition()), tp + " is reported where its folder is");
                    assertEquals(segmentBytes(dir.resolve(tp.topic() + "-" + tp.partition())), e.getValue().size(), tp + " size");
                    assertEquals(0, e.getValue().offsetLag(), "a leader has no lag");
                    assertFalse(e.getValue().isFuture());
                }
            }
            assertEquals(Set.of(new TopicPartition("a", 0), new TopicPartition("a", 1), new TopicPartition("a", 2),
                    new TopicPartition("a", 3), new TopicPartition("b", 0)), seen);
            assertTrue(seen.stream().anyMatch(tp -> dirOf(tp.topic(), tp.partition()).equals(second)),
                    "the partitions are spread over both dirs");
            LogDirDescription holder = dirs.get(dirOf("a", 0).toAbsolutePath().toString());
            assertTrue(holder.replicaInfos().get(new TopicPartition("a", 0)).size() > 0, "a-0 holds records");
        }
    }

    @Test
    void replicaLogDirsOfNamedPartitions() throws Exception {
        try (Admin admin = startWithTwoDirsAndData()) {
            int node = fixture.broker().config().nodeId();
            TopicPartitionReplica a1 = new TopicPartitionReplica("a", 1, node);
            TopicPartitionReplica b0 = new TopicPartitionReplica("b", 0, node);
            TopicPartitionReplica missing = new TopicPartitionReplica("a", 9, node);
            Map<TopicPartitionReplica, ReplicaLogDirInfo> infos =
                    admin.describeReplicaLogDirs(List.of(a1, b0, missing)).all().get();
            assertEquals(dirOf("a", 1).toAbsolutePath().toString(), infos.get(a1).getCurrentReplicaLogDir());
            assertEquals(dirOf("b", 0).toAbsolutePath().toString(), infos.get(b0).getCurrentReplicaLogDir());
            assertEquals(0, infos.get(a1).getCurrentReplicaOffsetLag());
            assertNull(infos.get(a1).getFutureReplicaLogDir());
            assertNull(infos.get(missing).getCurrentReplicaLogDir(), "a partition the broker lacks is in no dir");
        }
    }

    @Test
    void aRequestNamingPartitionsGetsOnlyThoseInEveryVersion() throws Exception {
        try (Admin admin = startWithTwoDirsAndData(); KafkaWire wire = new KafkaWire(fixture.broker().boundPort())) {
            for (short version = 1; version <= 5; version++) {
                DescribeLogDirsRequestData request = new DescribeLogDirsRequestData();
                request.topics().add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("a")
                        .setPartitions(List.of(0, 2, 7)));
                request.topics().add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("nope")
                        .setPartitions(List.of(0)));
                DescribeLogDirsResponseData response =
                        ((DescribeLogDirsResponse) wire.call(ApiKeys.DESCRIBE_LOG_DIRS, version, request)).data();
                assertEquals(Errors.NONE.code(), response.errorCode());
                assertEquals(2, response.results().size(), "every dir is listed, v" + version);
                Set<String> partitions = response.results().stream()
                        .peek(r -> assertEquals(Errors.NONE.code(), r.errorCode()))
                        .flatMap(r -> r.topics().stream().flatMap(t -> t.partitions().stream()
                                .map(p -> t.name() + "-" + p.partitionIndex() + "@" + r.logDir())))
                        .collect(Collectors.toSet());
                assertEquals(Set.of("a-0@" + dirOf("a", 0).toAbsolutePath(), "a-2@" + dirOf("a", 2).toAbsolutePath()),
                        partitions, "v" + version);
                long total = response.results().get(0).totalBytes();
                assertTrue(version >= 4 ? total > 0 : total == -1, "total bytes from v4 only: " + total);
            }
        }
    }
}
