package io.fjord.cli;

import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;
import io.fjord.client.producer.FjordProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * {@code fjord produce}: each line of standard input becomes one record, sent by Fjord's producer
 * with acks=all, as Kafka's kafka-console-producer.sh does. Keyed records go to the partition
 * Kafka's default partitioner picks (murmur2 of the key); unkeyed ones to the producer's sticky
 * choice. It ends once every line is acknowledged, and fails on the first that is not.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send lines from standard input to a topic (as kafka-console-producer.sh).")
public final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--property", paramLabel = "k=v", description = "parse.key=true, key.separator=SEP (default tab).")
    Map<String, String> properties = new HashMap<>();

    @Option(names = "--producer-property", paramLabel = "k=v", description = "Any producer setting, such as linger.ms=10.")
    Map<String, String> producerProperties = new HashMap<>();

    @Option(names = "--compression-codec", defaultValue = "none", paramLabel = "none|gzip|snappy|lz4|zstd")
    String compressionCodec;

    @Option(names = "--batch-size", defaultValue = "16384", paramLabel = "BYTES", description = "The producer's batch.size.")
    int batchSize;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "How long to wait for metadata and memory (max.block.ms).")
    int timeoutMs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean parseKey = Boolean.parseBoolean(properties.getOrDefault("parse.key", "false"));
        String separator = properties.getOrDefault("key.separator", "\t");
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> config = new HashMap<>(producerProperties);
        config.put("bootstrap.servers", bootstrapServer);
        config.put("acks", "all");
        config.put("compression.type", compressionCodec);
        config.put("batch.size", Integer.toString(batchSize));
        config.put("max.block.ms", Integer.toString(timeoutMs));
        config.putIfAbsent("plugin.path", FjordHome.pluginsFolder().toString());
        config.put("key.serializer", "byte-array");
        config.put("value.serializer", "byte-array");
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (FjordProducer<byte[], byte[]> producer = new FjordProducer<>(config)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                byte[] key = null;
                String value = line;
                if (parseKey) {
                    int at = line.indexOf(separator);
                    if (at < 0) {
                        err.println("No key separator found on line: " + line);
                        err.flush();
                        return 1;
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + separator.length());
                }
                sent.add(producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get();
            } catch (ExecutionException e) {
                err.println("Error when sending a record to " + topic + ": " + e.getCause().getMessage());
                err.flush();
                return 1;
            }
        }
        return 0;
    }
}
