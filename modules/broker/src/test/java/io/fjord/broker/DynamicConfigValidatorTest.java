package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's checks of a dynamic broker change, each refusal an INVALID_REQUEST with Kafka's message. */
class DynamicConfigValidatorTest {

    private static final OptionalInt BROKER = OptionalInt.of(1);
    private static final OptionalInt DEFAULT = OptionalInt.empty();
    private static final BrokerConfigLayers LAYERS = new BrokerConfigLayers(Map.of("node.id", "1",
            "listeners", "PLAINTEXT://127.0.0.1:9092", "num.io.threads", "4", "log.dirs", "/data"), Map.of(), Map.of());

    private static BrokerCodecs codecs;
    private static DynamicConfigValidator validator;

    @BeforeAll
    static void loadCodecs() {
        codecs = BrokerCodecs.load(null, Map.of());
        validator = new DynamicConfigValidator(codecs);
    }

    @AfterAll
    static void closeCodecs() {
        codecs.close();
    }

    private static String refusal(OptionalInt target, Map<String, String> proposed) {
        return refusal(LAYERS, target, proposed);
    }

    private static String refusal(BrokerConfigLayers layers, OptionalInt target, Map<String, String> proposed) {
        MetadataException e = assertThrows(MetadataException.class, () -> validator.validate(layers, target, proposed));
        assertEquals(Errors.INVALID_REQUEST, e.error(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readOnlySettingsAreNamedTogether() {
        assertEquals("Cannot update these configs dynamically: Set(fjord.cluster.id, log.dirs, num.partitions)",
                refusal(BROKER, Map.of("num.partitions", "2", "log.dirs", "/x", "fjord.cluster.id", "c",
                        "log.retention.ms", "5")));
    }

    @Test
    void listenerSettingsAreRefusedAtTheDefaultLevelAndCheckedPerBroker() {
        assertEquals("Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)",
                refusal(DEFAULT, Map.of("listeners", "PLAINTEXT://127.0.0.1:9093")));
        validator.validate(LAYERS, BROKER, Map.of("listeners", "PLAINTEXT://127.0.0.1:9093"));
        assertTrue(refusal(BROKER, Map.of("listeners", "SSL://127.0.0.1:9093")).contains("PLAINTEXT listener"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "log.preallocate|maybe|Invalid value maybe for configuration log.preallocate: Expected value to be either true or false",
        "num.io.threads|four|Invalid value four for configuration num.io.threads: Not a number of type INT",
        "log.cleaner.io.buffer.load.factor|x|Invalid value x for configuration log.cleaner.io.buffer.load.factor: Not a number of type DOUBLE",
        "num.network.threads|0|Invalid value 0 for configuration num.network.threads: Value must be at least 1",
        "log.message.timestamp.type|Now|Invalid value Now for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime",
        "log.cleanup.policy|shred|Invalid value shred for configuration log.cleanup.policy: Invalid item shred; must be one of: compact, delete",
        "min.insync.replicas|0|Invalid value 0 for configuration min.insync.replicas: Value must be at least 1",
    })
    void valuesAreCheckedByTypeAndRange(String key, String value, String message) {
        assertEquals(message, refusal(DEFAULT, Map.of(key, value)));
    }

    @Test
    void threadCountsChangeByAtMostHalfOrDouble() {
        validator.validate(LAYERS, BROKER, Map.of("num.io.threads", "8"));
        validator.validate(LAYERS, BROKER, Map.of("num.io.threads", "2"));
        assertEquals("Dynamic thread count update validation failed for num.io.threads=9, value should not be greater"
                + " than double the current value 4", refusal(BROKER, Map.of("num.io.threads", "9")));
        // Against what applies now: a default of 8 lets this broker go to 16.
        BrokerConfigLayers raised = LAYERS.with(DEFAULT, Map.of("num.io.threads", "8"));
        validator.validate(raised, BROKER, Map.of("num.io.threads", "16"));
        assertEquals("Log cleaner threads cannot be increased to more than double the current value 1",
                refusal(DEFAULT, Map.of("log.cleaner.threads", "3")));
        assertEquals("Invalid value 0 for configuration background.threads: Value must be at least 1",
                refusal(DEFAULT, Map.of("background.threads", "0")));
    }

    @Test
    void aCodecThatIsNotLoadedIsRefusedAndCustomNamesAreKept() {
        assertTrue(refusal(DEFAULT, Map.of("compression.type", "snappy")).contains("needs the snappy codec"));
        validator.validate(LAYERS, DEFAULT, Map.of("compression.type", "zstd", "compression.zstd.level", "9"));
        assertEquals("Invalid value 99 for configuration compression.zstd.level: Value must be no more than 22",
                refusal(DEFAULT, Map.of("compression.zstd.level", "99")));
        validator.validate(LAYERS, BROKER, Map.of("some.reporter.setting", "anything"));
    }
}
