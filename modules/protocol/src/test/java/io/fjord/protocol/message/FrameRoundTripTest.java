package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.Frames;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Whole frames (size prefix, header, body) of every (API, version) with Kafka classes decode to what
 * was encoded; the ZooKeeper-era APIs are in {@code ZooKeeperEraMessagesTest}.
 */
class FrameRoundTripTest {

    @Test
    void requestAndResponseFramesRoundTrip() {
        KafkaRandom random = new KafkaRandom(99);
        int correlationId = 0;
        for (ApiKeys api : KafkaMessages.apisKafkaSpeaks()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                RequestHeader header = new RequestHeader(api, v, ++correlationId, v % 2 == 0 ? null : "c-" + v);
                ApiMessage request = KafkaOracleTest.decode(api, true, v, random.body(api, true, v));
                EncodedMessage encoded = MessageCodec.encodeRequest(header, request);
                ByteBuffer wire = encoded.toByteBuffer();
                assertEquals(encoded.sizeInBytes(), wire.remaining());
                MessageCodec.DecodedRequest decoded =
                        MessageCodec.decodeRequest(Frames.readWholeFrame(wire, Integer.MAX_VALUE));
                assertEquals(header, decoded.header());
                assertEquals(request, decoded.body());
                assertEquals(0, decoded.trailingBytes());

                ApiMessage response = KafkaOracleTest.decode(api, false, v, random.body(api, false, v));
                ByteBuffer answer = MessageCodec.encodeResponse(v, correlationId, response).toByteBuffer();
                MessageCodec.DecodedResponse back = MessageCodec.decodeResponse(api, v,
                        Frames.readWholeFrame(answer, Integer.MAX_VALUE));
                assertEquals(new ResponseHeader(correlationId, api.responseHeaderVersion(v)), back.header());
                assertEquals(response, back.body());
            }
        }
    }
}
