package io.fjord.plugin.counting;

import io.fjord.api.ConfigException;
import io.fjord.api.Headers;
import io.fjord.api.producer.ProducerInterceptor;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code counting} producer interceptor: counts, per topic, the records sent and how each
 * send ended (acknowledged or failed), and adds a header {@code counting.seq} numbering the
 * records this producer sent (0, 1, 2, ...), so a consumer can check none was missed. When the
 * producer closes, the counts go to {@code report.file} if set, one line per topic:
 * {@code topic sent=N acknowledged=N failed=N}.
 *
 * <p>Settings (under {@code interceptor.counting.}): {@code report.file}. Records pass through
 * otherwise unchanged. Thread-safe: onSend runs on sending threads, onAcknowledgement on the
 * producer's I/O thread.
 */
public final class CountingInterceptor implements ProducerInterceptor<Object, Object> {

    public static final String NAME = "counting";
    public static final String SEQUENCE_HEADER = "counting.seq";

    private final Map<String, Counts> byTopic = new ConcurrentHashMap<>();
    private final LongAdder sequence = new LongAdder();
    private Path reportFile;

    /** One topic's counts. */
    private static final class Counts {
        final LongAdder sent = new LongAdder();
        final LongAdder acknowledged = new LongAdder();
        final LongAdder failed = new LongAdder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(Map<String, String> config) {
        String file = config.get("report.file");
        if (file != null) {
            if (file.isBlank()) {
                throw new ConfigException("report.file", file, "a file path");
            }
            reportFile = Path.of(file);
        }
    }

    @Override
    public synchronized ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        // Synchronized: the number a record carries and the order the counts grow in agree.
        long seq = sequence.sum();
        sequence.increment();
        counts(record.topic()).sent.increment();
        Headers headers = new Headers(record.headers())
                .add(SEQUENCE_HEADER, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), record.value(),
                headers);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        Counts counts = counts(metadata.topicPartition().topic());
        (exception == null ? counts.acknowledged : counts.failed).increment();
    }

    @Override
    public void close() {
        if (reportFile == null) {
            return;
        }
        StringBuilder report = new StringBuilder();
        new TreeMap<>(byTopic).forEach((topic, c) -> report.append(topic)
                .append(" sent=").append(c.sent.sum())
                .append(" acknowledged=").append(c.acknowledged.sum())
                .append(" failed=").append(c.failed.sum()).append('\n'));
        try {
            Files.writeString(reportFile, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the counting report " + reportFile, e);
        }
    }

    private Counts counts(String topic) {
        return byTopic.computeIfAbsent(topic, t -> new Counts());
    }
}
