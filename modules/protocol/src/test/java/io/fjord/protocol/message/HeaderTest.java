package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.Test;

/** Request and response headers against Kafka's header classes, for every advertised (API, version). */
class HeaderTest {

    @Test
    void headerVersionsFollowKafkasRuleForEveryApiAndVersion() {
        for (ApiKeys api : KafkaMessages.apisKafkaSpeaks()) {
            org.apache.kafka.common.protocol.ApiKeys kafka =
                    org.apache.kafka.common.protocol.ApiKeys.forId(api.id());
            // Beyond our range too: a broker must read headers of versions it does not support.
            for (short v = 0; v <= kafka.latestVersion(true); v++) {
                assertEquals(kafka.requestHeaderVersion(v), api.requestHeaderVersion(v), api + " v" + v);
                assertEquals(kafka.responseHeaderVersion(v), api.responseHeaderVersion(v), api + " v" + v);
            }
        }
    }

    @Test
    void requestHeadersRoundTripWithKafka() {
        int correlationId = 7;
        for (ApiKeys api : ApiKeys.values()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                for (String clientId : new String[] {"producer-1", null, ""}) {
                    short headerVersion = api.requestHeaderVersion(v);
                    RequestHeaderData kafka = new RequestHeaderData()
                            .setRequestApiKey(api.id())
                            .setRequestApiVersion(v)
                            .setCorrelationId(++correlationId)
                            .setClientId(clientId);
                    if (headerVersion >= 2) {
                        kafka.unknownTaggedFields().add(new RawTaggedField(5, new byte[] {9, 9}));
                    }
                    ByteBuffer bytes = KafkaMessages.write(kafka, headerVersion);
                    WireReader in = new WireReader(bytes.duplicate());
                    RequestHeader fjord = RequestHeader.read(in);
                    assertEquals(0, in.remaining());
                    assertEquals(new RequestHeader(api, v, correlationId, clientId), fjord);

                    WireWriter out = new WireWriter();
                    fjord.write(out);
                    ByteBuffer fjordBytes = out.finish().toByteBuffer();
                    kafka.unknownTaggedFields().clear();
                    assertEquals(KafkaMessages.write(kafka, headerVersion), fjordBytes);
                    RequestHeaderData back = new RequestHeaderData(
                            new org.apache.kafka.common.protocol.ByteBufferAccessor(fjordBytes), headerVersion);
                    assertEquals(kafka, back);
                }
            }
        }
    }

    @Test
    void responseHeadersRoundTripWithKafka() {
        for (short headerVersion = 0; headerVersion <= 1; headerVersion++) {
            ResponseHeaderData kafka = new ResponseHeaderData().setCorrelationId(-123456);
            if (headerVersion == 1) {
                kafka.unknownTaggedFields().add(new RawTaggedField(3, new byte[] {1}));
            }
            ByteBuffer bytes = KafkaMessages.write(kafka, headerVersion);
            WireReader in = new WireReader(bytes.duplicate());
            ResponseHeader fjord = ResponseHeader.read(in, headerVersion);
            assertEquals(0, in.remaining());
            assertEquals(new ResponseHeader(-123456, headerVersion), fjord);
            WireWriter out = new WireWriter();
            fjord.write(out);
            kafka.unknownTaggedFields().clear();
            assertEquals(KafkaMessages.write(kafka, headerVersion), out.finish().toByteBuffer());
        }
    }

    @Test
    void apiVersionsRequestOfAnUnknownNewerVersionStillHasAReadableHeader() {
        RequestHeaderData kafka = new RequestHeaderData().setRequestApiKey((short) 18)
                .setRequestApiVersion((short) 9).setCorrelationId(1).setClientId(null);
        RequestHeader fjord = RequestHeader.read(new WireReader(KafkaMessages.write(kafka, (short) 2)));
        assertEquals(ApiKeys.API_VERSIONS, fjord.api());
        assertEquals(9, fjord.apiVersion());
        assertNull(fjord.clientId());
        assertEquals(0, fjord.responseHeaderVersion());
    }
}
