package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.common.errors.Errors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AlterConfigs (API key 33, versions 0 to 2), Kafka's older config API that KafkaJS and older tools
 * use: the whole set of a topic's overrides replaced, {@code validate_only}, and one error per
 * resource, sent with Kafka's own request classes since Kafka's Java admin no longer has it.
 */
class AlterConfigsTest {

    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
        admin = BrokerFixture.admin(fixture.bootstrap());
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)
                .configs(Map.of("retention.ms", "1000", "segment.ms", "5000")))).all().get();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        fixture.close();
    }

    private static AlterConfigsRequestData.AlterConfigsResource resource(byte type, String name, String... keyValues) {
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(type).setResourceName(name);
        for (int i = 0; i < keyValues.length; i += 2) {
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(keyValues[i]).setValue(keyValues[i + 1]));
        }
        return resource;
    }

    private AlterConfigsResponseData alter(short version, boolean validateOnly,
            AlterConfigsRequestData.AlterConfigsResource... resources) throws Exception {
        AlterConfigsRequestData request = new AlterConfigsRequestData().setValidateOnly(validateOnly);
        for (AlterConfigsRequestData.AlterConfigsResource r : resources) {
            request.resources().add(r);
        }
        try (KafkaWire wire = new KafkaWire(fixture.broker().boundPort())) {
            return ((AlterConfigsResponse) wire.call(ApiKeys.ALTER_CONFIGS, version, request)).data();
        }
    }

    private Map<String, String> overrides(String topic) throws Exception {
        Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                .all().get().values().iterator().next();
        return config.entries().stream().filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
    }

    @Test
    void everyVersionReplacesTheWholeSetOfOverrides() throws Exception {
        for (short version = 0; version <= 2; version++) {
            String value = Integer.toString(10_000 + version);
            AlterConfigsResponseData response = alter(version, false,
                    resource(TOPIC, "t", "cleanup.policy", "compact", "retention.ms", value));
            assertEquals(1, response.responses().size());
            assertEquals(Errors.NONE.code(), response.responses().get(0).errorCode(), "v" + version);
            assertEquals("t", response.responses().get(0).resourceName());
            assertEquals(Map.of("cleanup.policy", "compact", "retention.ms", value), overrides("t"),
                    "segment.ms, left out, is back to its default");
        }
    }

    @Test
    void validateOnlyChangesNothing() throws Exception {
        AlterConfigsResponseData response = alter((short) 2, true, resource(TOPIC, "t", "cleanup.policy", "compact"));
        assertEquals(Errors.NONE.code(), response.responses().get(0).errorCode());
        assertEquals(Map.of("retention.ms", "1000", "segment.ms", "5000"), overrides("t"));
    }

    @Test
    void eachResourceGetsItsOwnError() throws Exception {
        admin.createTopics(List.of(new NewTopic("u", 1, (short) 1))).all().get();
        AlterConfigsResponseData response = alter((short) 1, false,
                resource(TOPIC, "t", "no.such.config", "1"),
                resource(TOPIC, "missing", "retention.ms", "1"),
                resource(TOPIC, "u", "segment.ms", "-5"),
                resource(BROKER, "1", "log.retention.hours", "1"));
        List<AlterConfigsResponseData.AlterConfigsResourceResponse> results = response.responses();
        assertEquals(4, results.size());
        assertEquals(Errors.INVALID_CONFIG.code(), results.get(0).errorCode());
        assertTrue(results.get(0).errorMessage().contains("no.such.config"), results.get(0).errorMessage());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), results.get(1).errorCode());
        assertEquals(Errors.INVALID_CONFIG.code(), results.get(2).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), results.get(3).errorCode(), "log.retention.hours is read-only");
        assertEquals("Cannot update these configs dynamically: Set(log.retention.hours)", results.get(3).errorMessage());
        assertEquals(Map.of("retention.ms", "1000", "segment.ms", "5000"), overrides("t"), "nothing changed");
    }

    @Test
    void aCodecThatIsNotLoadedIsRefused() throws Exception {
        AlterConfigsResponseData response = alter((short) 0, false, resource(TOPIC, "t", "compression.type", "snappy"));
        assertEquals(Errors.INVALID_CONFIG.code(), response.responses().get(0).errorCode());
        assertTrue(response.responses().get(0).errorMessage().contains("snappy"));
    }

    @Test
    void brokerSettingsAreReplacedAsAWholeAndOnlyForThisBrokerOrTheDefault() throws Exception {
        AlterConfigsResponseData response = alter((short) 2, false,
                resource(BROKER, "1", "log.retention.ms", "5000", "log.cleaner.threads", "2"),
                resource(BROKER, "", "log.segment.bytes", "2097152"),
                resource(BROKER, "2", "log.retention.ms", "5000"),
                resource(BROKER, "one", "log.retention.ms", "5000"));
        List<AlterConfigsResponseData.AlterConfigsResourceResponse> results = response.responses();
        assertEquals(Errors.NONE.code(), results.get(0).errorCode(), results.get(0).errorMessage());
        assertEquals(Errors.NONE.code(), results.get(1).errorCode(), results.get(1).errorMessage());
        assertEquals(Errors.INVALID_REQUEST.code(), results.get(2).errorCode());
        assertEquals("Unexpected broker id, expected 1, but received 2", results.get(2).errorMessage());
        assertEquals(Errors.INVALID_REQUEST.code(), results.get(3).errorCode());
        assertEquals("Node id must be an integer, but it is: one", results.get(3).errorMessage());
        assertEquals(Map.of("log.retention.ms", "5000", "log.cleaner.threads", "2"), dynamicSettings("1"));

        assertEquals(Errors.NONE.code(), alter((short) 1, false, resource(BROKER, "1", "log.cleaner.threads", "2"))
                .responses().get(0).errorCode());
        assertEquals(Map.of("log.cleaner.threads", "2"), dynamicSettings("1"), "log.retention.ms, left out, is gone");
        assertEquals(Errors.NONE.code(), alter((short) 0, true, resource(BROKER, "1")).responses().get(0).errorCode());
        assertEquals(Map.of("log.cleaner.threads", "2"), dynamicSettings("1"), "validate_only changes nothing");
    }

    @Test
    void aResourceNamedTwiceIsRefusedEachTime() throws Exception {
        List<AlterConfigsResponseData.AlterConfigsResourceResponse> results = alter((short) 2, false,
                resource(BROKER, "1", "log.cleaner.threads", "2"), resource(TOPIC, "t", "retention.ms", "7"),
                resource(BROKER, "1", "log.cleaner.threads", "1")).responses();
        assertEquals(List.of(Errors.INVALID_REQUEST.code(), Errors.NONE.code(), Errors.INVALID_REQUEST.code()),
                results.stream().map(AlterConfigsResponseData.AlterConfigsResourceResponse::errorCode).toList());
        assertEquals("Each resource must appear at most once.", results.get(0).errorMessage());
        assertEquals(Map.of(), dynamicSettings("1"));
    }

    private Map<String, String> dynamicSettings(String broker) throws Exception {
        Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, broker)))
                .all().get().values().iterator().next();
        return config.entries().stream().filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
    }
}
