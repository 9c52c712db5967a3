package io.fjord.plugin.counting;

import io.fjord.api.ConfigException;
import io.fjord.api.TopicPartition;
import io.fjord.api.producer.ProducerInterceptor;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CountingInterceptorTest {

    @TempDir
    Path dir;

    @Test
    void numbersEveryRecordAndReportsHowEachSendEndedPerTopic() throws Exception {
        Path report = dir.resolve("report.txt");
        CountingInterceptor interceptor = new CountingInterceptor();
        interceptor.configure(Map.of("report.file", report.toString()));
        for (int i = 0; i < 3; i++) {
            ProducerRecord<Object, Object> sent = interceptor.onSend(new ProducerRecord<>("a", "k", "v" + i));
            assertEquals(Integer.toString(i), new String(sent.headers().lastHeader(CountingInterceptor.SEQUENCE_HEADER).value(),
                    StandardCharsets.UTF_8));
            assertEquals("v" + i, sent.value());
        }
        interceptor.onSend(new ProducerRecord<>("b", "v"));
        RecordMetadata a = new RecordMetadata(new TopicPartition("a", 0), 0, 0, 1, 2);
        interceptor.onAcknowledgement(a, null);
        interceptor.onAcknowledgement(a, null);
        interceptor.onAcknowledgement(a, new IllegalStateException("lost"));
        interceptor.close();
        assertEquals(List.of("a sent=3 acknowledged=2 failed=1", "b sent=1 acknowledged=0 failed=0"),
                Files.readAllLines(report));
    }

    @Test
    void aBlankReportFileIsRefused() {
        assertThrows(ConfigException.class, () -> new CountingInterceptor().configure(Map.of("report.file", " ")));
    }

    @Test
    void theModuleProvidesItUnderItsName() {
        CountingInterceptorTest.class.getModule().addUses(ProducerInterceptor.class);
        List<String> names = ServiceLoader.load(ProducerInterceptor.class).stream().map(p -> p.get().name()).toList();
        assertEquals(List.of("counting"), names);
    }
}
