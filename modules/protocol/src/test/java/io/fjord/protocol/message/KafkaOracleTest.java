package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fjord.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (API, version, direction) Fjord advertises against Kafka's own generated message classes:
 * Kafka writes a random message (from Kafka's schemas, with unknown tagged fields added to every
 * struct of a flexible version), Fjord reads it to the same content field by field, writes the
 * very same bytes, unknown tags included, and Kafka reads Fjord's bytes back to an equal message.
 * The ZooKeeper-era APIs that Kafka 4 removed have no Kafka classes left; {@code
 * ZooKeeperEraMessagesTest} checks them against bytes worked out from Kafka 3.9's schemas.
 */
class KafkaOracleTest {
    private static final int ROUNDS = 12;

    static Stream<Arguments> everyApiVersionAndDirection() {
        List<Arguments> cases = new ArrayList<>();
        for (ApiKeys api : KafkaMessages.apisKafkaSpeaks()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                if (api == ApiKeys.PRODUCE && v < 3) {
                    continue; // Kafka 4 has no classes for these; see ProduceAndFetchTest
                }
                cases.add(Arguments.of(api, v, true));
                cases.add(Arguments.of(api, v, false));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} v{1} request={2}")
    @MethodSource("everyApiVersionAndDirection")
    void kafkaAndFjordAgreeByteForByte(ApiKeys api, short version, boolean request) {
        KafkaRandom random = new KafkaRandom(api.id() * 1000L + version * 2L + (request ? 1 : 0));
        for (int round = 0; round < ROUNDS; round++) {
            ApiMessage kafka = KafkaMessages.read(api, request, version, random.body(api, request, version));
            if (api.isFlexible(version)) {
                KafkaMessages.addUnknownTags(kafka, 100 + round);
            }
            ByteBuffer kafkaBytes = KafkaMessages.write(kafka, version);

            io.fjord.protocol.message.ApiMessage fjord = decode(api, request, version, kafkaBytes);
            KafkaMessages.assertSameContent(kafka, fjord, api.apiName() + "[v" + version + ", round " + round + "]");
            ByteBuffer fjordBytes = MessageCodec.encodeBody(version, fjord).toByteBuffer();
            assertEquals(kafkaBytes, fjordBytes, "bytes of round " + round);
            assertEquals(kafka, KafkaMessages.read(api, request, version, fjordBytes));
            assertEquals(fjord, decode(api, request, version, fjordBytes), "Fjord reads its own bytes back");
        }
    }

    /**
     * Every field Kafka's schema has in this version, in Kafka's wire order, is a field of Fjord's
     * class under the same name (Kafka's snake_case wire name in lower camel case), nested structs
     * included; tagged fields are left to the byte comparison above.
     */
    @ParameterizedTest(name = "{0} v{1} request={2}")
    @MethodSource("everyApiVersionAndDirection")
    void fieldNamesAreKafkas(ApiKeys api, short version, boolean request) {
        org.apache.kafka.common.message.ApiMessageType kafka =
                org.apache.kafka.common.protocol.ApiKeys.forId(api.id()).messageType;
        org.apache.kafka.common.protocol.types.Schema schema =
                (request ? kafka.requestSchemas() : kafka.responseSchemas())[version];
        Class<?> fjord = (request ? api.newRequest() : api.newResponse()).getClass();
        assertFieldsOf(schema, fjord, api.apiName() + " v" + version);
    }

    private static void assertFieldsOf(org.apache.kafka.common.protocol.types.Schema schema, Class<?> fjord,
            String where) {
        for (org.apache.kafka.common.protocol.types.BoundField f : schema.fields()) {
            if (f.def.type instanceof org.apache.kafka.common.protocol.types.TaggedFields) {
                continue;
            }
            String name = camelCase(f.def.name);
            java.lang.reflect.Method getter;
            try {
                getter = fjord.getMethod(name);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(where + ": " + fjord.getSimpleName() + " has no field " + name);
            }
            org.apache.kafka.common.protocol.types.Type element = f.def.type.arrayElementType().orElse(f.def.type);
            if (element instanceof org.apache.kafka.common.protocol.types.Schema nested) {
                java.lang.reflect.Type type = getter.getGenericReturnType();
                Class<?> nestedClass = type instanceof java.lang.reflect.ParameterizedType list
                        ? (Class<?>) list.getActualTypeArguments()[0] : (Class<?>) type;
                assertFieldsOf(nested, nestedClass, where + "." + name);
            }
        }
    }

    private static String camelCase(String snake) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    static io.fjord.protocol.message.ApiMessage decode(ApiKeys api, boolean request, short version,
            ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        if (request) {
            io.fjord.protocol.message.ApiMessage body = MessageCodec.readRequestBody(api, version, in);
            assertEquals(0, in.remaining(), "the request filled the bytes");
            return body;
        }
        return MessageCodec.decodeResponseBody(api, version, in);
    }
}
