package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.log.PartitionLog;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.DescribeLogDirsRequest;
import io.fjord.protocol.message.DescribeLogDirsResponse;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DescribeLogDirs (versions 1 to 5), as Kafka's {@code kafka-log-dirs} and {@code
 * Admin.describeLogDirs} read it: every log dir with its absolute path, the total and usable bytes
 * of its volume (version 4), and, for each partition in it that was asked about (a null topic list
 * asks about all), its size on disk, its offset lag and whether it is a future log. Every partition
 * here is led by this broker, whose high watermark never passes its log end, so the lag of the
 * high watermark behind the log end is 0; Fjord keeps no future logs (AlterReplicaLogDirs), and
 * cordons no log dir. A log dir whose volume cannot be read is answered KAFKA_STORAGE_ERROR.
 */
final class LogDirsHandler implements ApiFamily {

    private static final Logger LOG = Logger.getLogger(LogDirsHandler.class.getName());

    private final List<Path> logDirs;
    private final Supplier<Collection<PartitionLog>> logs;

    LogDirsHandler(List<Path> logDirs, Supplier<Collection<PartitionLog>> logs) {
        this.logDirs = logDirs.stream().map(dir -> dir.toAbsolutePath().normalize()).toList();
        this.logs = logs;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.DESCRIBE_LOG_DIRS, DescribeLogDirsRequest.class, this::handle);
    }

    void handle(NetworkRequest request, DescribeLogDirsRequest body) {
        Set<TopicPartition> wanted = wanted(body);
        Collection<PartitionLog> all = logs.get();
        DescribeLogDirsResponse response = new DescribeLogDirsResponse();
        for (Path dir : logDirs) {
            response.results().add(describe(dir, all, wanted));
        }
        Responses.send(request, response);
    }

    /** The partitions asked about, or null for all. */
    private static Set<TopicPartition> wanted(DescribeLogDirsRequest body) {
        if (body.topics() == null) {
            return null;
        }
        Set<TopicPartition> wanted = new HashSet<>();
        for (DescribeLogDirsRequest.DescribableLogDirTopic topic : body.topics()) {
            for (int partition : topic.partitions()) {
                wanted.add(new TopicPartition(topic.topic(), partition));
            }
        }
        return wanted;
    }

    private static DescribeLogDirsResponse.DescribeLogDirsResult describe(Path dir, Collection<PartitionLog> all,
            Set<TopicPartition> wanted) {
        DescribeLogDirsResponse.DescribeLogDirsResult result = new DescribeLogDirsResponse.DescribeLogDirsResult()
                .setLogDir(dir.toString());
        try {
            FileStore store = Files.getFileStore(dir);
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Reading the volume of log dir " + dir + " failed", e);
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        TopicResponses<DescribeLogDirsResponse.DescribeLogDirsTopic, DescribeLogDirsResponse.DescribeLogDirsPartition> topics =
                TopicResponses.merged(name -> new DescribeLogDirsResponse.DescribeLogDirsTopic().setName(name),
                        DescribeLogDirsResponse.DescribeLogDirsTopic::partitions);
        for (PartitionLog log : all) {
            TopicPartition tp = log.topicPartition();
            if ((wanted != null && !wanted.contains(tp)) || !dir.equals(log.dir().toAbsolutePath().normalize().getParent())) {
                continue;
            }
            topics.add(tp.topic(), new DescribeLogDirsResponse.DescribeLogDirsPartition()
                    .setPartitionIndex(tp.partition())
                    .setPartitionSize(log.size())
                    .setOffsetLag(Math.max(0, log.highWatermark() - log.logEndOffset()))
                    .setIsFutureKey(false));
        }
        return result.setTopics(topics.topics());
    }
}
