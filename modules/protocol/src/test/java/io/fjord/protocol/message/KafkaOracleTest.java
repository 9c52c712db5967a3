package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fjord.protocol.schema.Schema;
import io.fjord.protocol.schema.Struct;
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
 * Kafka writes, Fjord reads and writes the very same bytes (minus unknown tagged fields, which
 * Fjord skips), and Kafka reads Fjord's bytes back to an equal message.
 *
 * <p>The Kafka messages are made non-trivial by having Kafka parse random content (several
 * topics, partitions and members, nulls where the version allows them); in flexible versions an
 * unknown tagged field is then added to every struct of the Kafka message.
 */
class KafkaOracleTest {
    private static final int ROUNDS = 12;

    static Stream<Arguments> everyApiVersionAndDirection() {
        List<Arguments> cases = new ArrayList<>();
        for (ApiKeys api : ApiKeys.values()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                if (api == ApiKeys.PRODUCE && v < 3) {
                    continue; // Kafka 4 has no classes for these; see ProduceLegacyVersionsTest
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
        Schema schema = request ? api.requestSchema() : api.responseSchema();
        RandomStructs random = new RandomStructs(api.id() * 1000L + version * 2L + (request ? 1 : 0));
        for (int round = 0; round < ROUNDS; round++) {
            // A Kafka message with non-trivial content.
            Struct seed = random.fill(schema, version);
            ApiMessage kafka = KafkaMessages.read(api, request, version, encode(api, request, version, seed));
            ApiMessage original = (ApiMessage) kafka.duplicate();
            boolean flexible = api.isFlexible(version);
            if (flexible) {
                KafkaMessages.addUnknownTags(kafka, 100 + round);
            }
            ByteBuffer kafkaBytes = KafkaMessages.write(kafka, version);

            // Fjord reads Kafka's bytes and writes them again.
            Struct decoded = decode(api, request, version, kafkaBytes);
            assertEquals(seed, decoded, "Fjord's reading of Kafka's bytes");
            ByteBuffer fjordBytes = encode(api, request, version, decoded);

            // Same bytes as Kafka, once Kafka drops the unknown tags Fjord skipped.
            ApiMessage withoutUnknownTags = (ApiMessage) kafka.duplicate();
            KafkaMessages.clearUnknownTags(withoutUnknownTags);
            assertEquals(KafkaMessages.write(withoutUnknownTags, version), fjordBytes,
                    "bytes of round " + round);
            if (flexible) {
                assertNotEquals(kafkaBytes, fjordBytes, "unknown tags were not skipped");
            }

            // Kafka reads Fjord's bytes to the original message.
            assertEquals(original, KafkaMessages.read(api, request, version, fjordBytes));
        }
    }

    @ParameterizedTest(name = "{0} v{1} request={2}")
    @MethodSource("everyApiVersionAndDirection")
    void fieldNamesAndOrderAreKafkas(ApiKeys api, short version, boolean request) {
        org.apache.kafka.common.message.ApiMessageType kafka =
                org.apache.kafka.common.protocol.ApiKeys.forId(api.id()).messageType;
        org.apache.kafka.common.protocol.types.Schema kafkaSchema =
                (request ? kafka.requestSchemas() : kafka.responseSchemas())[version];
        Schema fjordSchema = request ? api.requestSchema() : api.responseSchema();
        assertEquals(kafkaNames(kafkaSchema), fjordNames(fjordSchema, version));
    }

    private static List<String> kafkaNames(org.apache.kafka.common.protocol.types.Schema schema) {
        List<String> names = new ArrayList<>();
        for (org.apache.kafka.common.protocol.types.BoundField f : schema.fields()) {
            if (f.def.type instanceof org.apache.kafka.common.protocol.types.TaggedFields) {
                continue;
            }
            names.add(f.def.name);
            f.def.type.arrayElementType()
                    .filter(t -> t instanceof org.apache.kafka.common.protocol.types.Schema)
                    .ifPresent(t -> names.add(
                            kafkaNames((org.apache.kafka.common.protocol.types.Schema) t).toString()));
        }
        return names;
    }

    private static List<String> fjordNames(Schema schema, short version) {
        List<String> names = new ArrayList<>();
        for (io.fjord.protocol.schema.Field f : schema.fields()) {
            if (f.isTagged() || !f.isPresentIn(version)) {
                continue;
            }
            names.add(f.name());
            io.fjord.protocol.schema.Type element = f.type().elementType();
            if (element != null && element.schema() != null) {
                names.add(fjordNames(element.schema(), version).toString());
            }
        }
        return names;
    }

    static ByteBuffer encode(ApiKeys api, boolean request, short version, Struct body) {
        return (request ? MessageCodec.encodeRequestBody(api, version, body)
                : MessageCodec.encodeResponseBody(api, version, body)).toByteBuffer();
    }

    static Struct decode(ApiKeys api, boolean request, short version, ByteBuffer bytes) {
        WireReader in = new WireReader(bytes.duplicate());
        return request ? MessageCodec.decodeRequestBody(api, version, in)
                : MessageCodec.decodeResponseBody(api, version, in);
    }
}
