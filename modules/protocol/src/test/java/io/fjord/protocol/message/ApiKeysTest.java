package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.Frames;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void keysNamesAndRangesAgreeWithKafka() {
        for (ApiKeys api : ApiKeys.values()) {
            org.apache.kafka.common.protocol.ApiKeys kafka =
                    org.apache.kafka.common.protocol.ApiKeys.forId(api.id());
            assertEquals(kafka.name, api.apiName());
            assertTrue(api.latestVersion() <= kafka.latestVersion(), api + " latest");
            assertEquals(kafka.oldestVersion(), api.oldestAcceptedVersion(), api + " oldest accepted");
            if (api != ApiKeys.PRODUCE) {
                assertEquals(kafka.oldestVersion(), api.oldestVersion(), api + " oldest");
            }
            short firstFlexible = Short.MAX_VALUE;
            for (short v = kafka.oldestVersion(); v <= kafka.latestVersion(true); v++) {
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
        ProtocolException e = assertThrows(ProtocolException.class, () -> ApiKeys.forId(4));
        assertEquals(Errors.INVALID_REQUEST, e.error());
        assertThrows(ProtocolException.class, () -> ApiKeys.forId(-1));
        assertThrows(ProtocolException.class, () -> ApiKeys.forId(30000));
    }

    @Test
    void apiVersionsResponseListsEveryApiAndKafkaReadsItAsV0() {
        ApiVersionsResponse response = MessageCodec.apiVersionsResponse(Errors.UNSUPPORTED_VERSION,
                java.util.EnumSet.allOf(ApiKeys.class));
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
}
