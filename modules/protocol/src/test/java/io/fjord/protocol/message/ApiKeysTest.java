package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.Frames;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    /**
     * The ZooKeeper-era APIs Kafka 4 removed, with Kafka 3.9's last version and first flexible
     * version (from its message specs), the one version Fjord speaks of each.
     */
    private static final Map<ApiKeys, short[]> KAFKA_39_LAST_AND_FIRST_FLEXIBLE = Map.of(
            ApiKeys.LEADER_AND_ISR, new short[] {7, 4},
            ApiKeys.STOP_REPLICA, new short[] {4, 2},
            ApiKeys.UPDATE_METADATA, new short[] {8, 6},
            ApiKeys.CONTROLLED_SHUTDOWN, new short[] {3, 3});

    @Test
    void keysNamesAndRangesAgreeWithKafka() {
        for (ApiKeys api : ApiKeys.values()) {
            org.apache.kafka.common.protocol.ApiKeys kafka =
                    org.apache.kafka.common.protocol.ApiKeys.forId(api.id());
            assertEquals(kafka.name, api.apiName());
            if (!KafkaMessages.kafkaSpeaks(api)) {
                short[] kafka39 = KAFKA_39_LAST_AND_FIRST_FLEXIBLE.get(api);
                assertEquals(kafka39[0], api.oldestVersion(), api + " only the newest version");
                assertEquals(kafka39[0], api.latestVersion(), api + " latest");
                assertEquals(kafka39[1], api.firstFlexibleVersion(), api + " first flexible");
                continue;
            }
            assertTrue(api.latestVersion() <= kafka.latestVersion(), api + " latest");
            assertEquals(kafka.oldestVersion(), api.oldestAcceptedVersion(), api + " oldest accepted");
            if (api != ApiKeys.PRODUCE) {
                assertEquals(kafka.oldestVersion(), api.oldestVersion(), api + " oldest");
            }
            short firstFlexible = Short.MAX_VALUE;
            for (short v = 0; v <= kafka.latestVersion(true); v++) {
                if (kafka.messageType.requestHeaderVersion(v) == 2) {
                    firstFlexible = v;
                    break;
                }
            }
            assertEquals(firstFlexible, api.firstFlexibleVersion(), api + " first flexible");
        }
        assertEquals(0, ApiKeys.PRODUCE.oldestVersion(), "Produce is advertised from 0 for librdkafka");
    }

    @Test
    void requestAndResponseClassesDeclareTheSameVersions() {
        for (ApiKeys api : ApiKeys.values()) {
            ApiMessage request = api.newRequest();
            ApiMessage response = api.newResponse();
            assertEquals(api.id(), request.apiKey());
            assertEquals(api.id(), response.apiKey());
            assertEquals(request.lowestVersion(), response.lowestVersion(), api + " lowest");
            assertEquals(request.highestVersion(), response.highestVersion(), api + " highest");
            assertEquals(request.firstFlexibleVersion(), response.firstFlexibleVersion(), api + " flexible");
        }
    }

    @Test
    void lookupByIdAndUnknownKeys() {
        Set<Short> ids = new HashSet<>();
        for (ApiKeys api : ApiKeys.values()) {
            assertSame(api, ApiKeys.forId(api.id()));
            assertTrue(ids.add(api.id()));
        }
        ProtocolException e = assertThrows(ProtocolException.class, () -> ApiKeys.forId(29)); // DescribeAcls
        assertEquals(Errors.INVALID_REQUEST, e.error());
        assertThrows(ProtocolException.class, () -> ApiKeys.forId(-1));
        assertThrows(ProtocolException.class, () -> ApiKeys.forId(30000));
    }

    @Test
    void apiVersionsResponseListsTheApisGivenAndKafkaReadsItAsV0() {
        ApiVersionsResponse response = MessageCodec.apiVersionsResponse(Errors.UNSUPPORTED_VERSION,
                EnumSet.allOf(ApiKeys.class));
        ByteBuffer frame = MessageCodec.encodeResponse((short) 0, 42, response).toByteBuffer();
        ByteBuffer body = Frames.readWholeFrame(frame, 1 << 20);
        assertEquals(42, body.getInt()); // response header v0: the correlation id only
        ApiVersionsResponseData kafka = (ApiVersionsResponseData) KafkaMessages.read(
                ApiKeys.API_VERSIONS, false, (short) 0, body);
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), kafka.errorCode());
        assertEquals(ApiKeys.values().length, kafka.apiKeys().size());
        for (ApiKeys api : ApiKeys.values()) {
            ApiVersionsResponseData.ApiVersion v = kafka.apiKeys().find(api.id());
            assertEquals(api.oldestVersion(), v.minVersion());
            assertEquals(api.latestVersion(), v.maxVersion());
        }
    }

    @Test
    void apiVersionsResponseLeavesOutTheApisNotGiven() {
        ApiVersionsResponse response = MessageCodec.apiVersionsResponse(Errors.NONE,
                EnumSet.of(ApiKeys.FETCH, ApiKeys.API_VERSIONS, ApiKeys.PRODUCE));
        assertEquals(java.util.List.of(ApiKeys.PRODUCE.id(), ApiKeys.FETCH.id(), ApiKeys.API_VERSIONS.id()),
                response.apiKeys().stream().map(ApiVersionsResponse.ApiVersion::apiKey).toList(), "in key order");
    }
}
