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
 */
class KafkaOracleTest {
    private static final int ROUNDS = 12;

    static Stream<Arguments> everyApiVersionAndDirection() {
        List<Arguments> cases = new ArrayList<>();
        for (ApiKeys api : ApiKeys.values()) {
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
