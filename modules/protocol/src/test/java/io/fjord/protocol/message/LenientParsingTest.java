package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.Frames;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

/**
 * Fjord accepts the requests Kafka's broker accepts and refuses the ones it refuses, with Kafka's
 * own request parser ({@code RequestContext.parseRequest}, what Kafka's request handler calls) as
 * the oracle: bytes after the body, unknown tagged fields anywhere, nulls where a version forbids
 * them, truncations, and seeded mutations of valid requests of every API and version.
 */
class LenientParsingTest {

    /** Whether Kafka's broker would parse this request frame (the bytes after the size prefix). */
    private static boolean kafkaAccepts(ByteBuffer frame) {
        ByteBuffer bytes = frame.duplicate();
        try {
            org.apache.kafka.common.requests.RequestHeader header =
                    org.apache.kafka.common.requests.RequestHeader.parse(bytes);
            RequestContext context = new RequestContext(header, "1", InetAddress.getLoopbackAddress(),
                    KafkaPrincipal.ANONYMOUS, ListenerName.normalised("PLAINTEXT"), SecurityProtocol.PLAINTEXT,
                    ClientInformation.EMPTY, false);
            context.parseRequest(bytes);
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    private static boolean fjordAccepts(ByteBuffer frame) {
        try {
            MessageCodec.decodeRequest(frame.duplicate());
            return true;
        } catch (ProtocolException refused) {
            return false;
        }
    }

    private static ByteBuffer frame(ApiKeys api, short version, ApiMessage kafkaBody) {
        io.fjord.protocol.types.WireWriter header = new io.fjord.protocol.types.WireWriter();
        new RequestHeader(api, version, 7, "lenient").write(header);
        ByteBuffer head = header.finishAsBuffer();
        ByteBuffer body = KafkaMessages.write(kafkaBody, version);
        return ByteBuffer.allocate(head.remaining() + body.remaining()).put(head).put(body).flip();
    }

    private static ByteBuffer withTrailing(ByteBuffer frame, int extra) {
        ByteBuffer longer = ByteBuffer.allocate(frame.remaining() + extra);
        return longer.put(frame.duplicate()).flip().limit(frame.remaining() + extra);
    }

    @Test
    void librdkafkasAllTopicsMetadataRequestWithThreeStrayBytesIsAnsweredLikeKafka() {
        // Metadata v13 as librdkafka 2.15 writes it: a 4-byte placeholder where the compact null
        // topic array is one byte, so three zero bytes follow the array.
        ByteBuffer frame = ByteBuffer.wrap(HexFormat.of().parseHex("0003000d000000030010"
                + HexFormat.of().formatHex("0035_api_version".getBytes(StandardCharsets.US_ASCII))
                + "00" + "00000000010000"));
        assertTrue(kafkaAccepts(frame), "Kafka's broker parses it");
        MessageCodec.DecodedRequest decoded = MessageCodec.decodeRequest(frame.duplicate());
        assertEquals(3, decoded.trailingBytes());
        MetadataRequest metadata = (MetadataRequest) decoded.body();
        assertNull(metadata.topics(), "all topics");
        assertFalse(metadata.allowAutoTopicCreation(), "the stray zero byte is read as the flag, as Kafka reads it");
        assertEquals("0035_api_version", decoded.header().clientId());
    }

    @Test
    void trailingBytesAndUnknownTagsAreAcceptedLikeKafkaForEveryApiAndVersion() {
        for (ApiKeys api : KafkaMessages.apisKafkaSpeaks()) {
            for (short v = api.oldestAcceptedVersion(); v <= api.latestVersion(); v++) {
                KafkaRandom random = new KafkaRandom(api.id() * 31L + v);
                ApiMessage body = KafkaMessages.read(api, true, v, random.body(api, true, v));
                if (api.isFlexible(v)) {
                    KafkaMessages.addUnknownTags(body, 77);
                }
                ByteBuffer frame = frame(api, v, body);
                for (int extra : new int[] {0, 1, 3, 100}) {
                    ByteBuffer longer = withTrailing(frame, extra);
                    assertTrue(kafkaAccepts(longer), api + " v" + v + " +" + extra);
                    assertTrue(fjordAccepts(longer), api + " v" + v + " +" + extra);
                    assertEquals(extra, MessageCodec.decodeRequest(longer.duplicate()).trailingBytes());
                }
            }
        }
    }

    @Test
    void nullsWhereTheVersionForbidsThemAndTruncationsAreRefusedLikeKafka() {
        // Metadata v0: the topic array is not nullable; from v1 it is.
        ByteBuffer v0 = frame(ApiKeys.METADATA, (short) 0, new org.apache.kafka.common.message.MetadataRequestData());
        v0.putInt(v0.limit() - 4, -1);
        assertFalse(kafkaAccepts(v0));
        assertFalse(fjordAccepts(v0));
        ByteBuffer v1 = frame(ApiKeys.METADATA, (short) 1, new org.apache.kafka.common.message.MetadataRequestData());
        v1.putInt(v1.limit() - 4, -1);
        assertTrue(kafkaAccepts(v1));
        assertTrue(fjordAccepts(v1));
        KafkaRandom random = new KafkaRandom(5);
        ByteBuffer produce = frame(ApiKeys.PRODUCE, (short) 7,
                KafkaMessages.read(ApiKeys.PRODUCE, true, (short) 7, random.body(ApiKeys.PRODUCE, true, (short) 7)));
        for (int cut = 0; cut < produce.remaining(); cut += 3) {
            ByteBuffer truncated = produce.slice(0, cut);
            assertEquals(kafkaAccepts(truncated), fjordAccepts(truncated), "Produce v7 cut at " + cut);
        }
    }

    @Test
    void mutatedRequestsAreAcceptedOrRefusedAsKafkaDoes() {
        Random random = new Random(0x1e_4e47L);
        List<ApiKeys> apis = KafkaMessages.apisKafkaSpeaks();
        int compared = 0;
        int accepted = 0;
        for (int c = 0; c < 20_000; c++) {
            ApiKeys api = apis.get(random.nextInt(apis.size()));
            short version = (short) (api.oldestAcceptedVersion()
                    + random.nextInt(api.latestVersion() - api.oldestAcceptedVersion() + 1));
            ApiMessage body = KafkaMessages.read(api, true, version,
                    new KafkaRandom(random.nextLong()).body(api, true, version));
            byte[] bytes = new byte[frame(api, version, body).remaining()];
            frame(api, version, body).get(bytes);
            int at = 8 + random.nextInt(Math.max(1, bytes.length - 8)); // leave key, version and correlation
            if (at >= bytes.length) {
                continue;
            }
            bytes[at] = random.nextInt(3) == 0 ? (byte) 0xff : (byte) random.nextInt();
            ByteBuffer mutated = ByteBuffer.wrap(bytes);
            boolean kafka = kafkaAccepts(mutated);
            assertEquals(kafka, fjordAccepts(mutated), "case " + c + ": " + api + " v" + version + " byte " + at
                    + " of " + HexFormat.of().formatHex(bytes));
            compared++;
            accepted += kafka ? 1 : 0;
        }
        assertTrue(compared > 19_000);
        assertTrue(accepted > 1_000 && accepted < compared, "both outcomes are exercised: " + accepted);
    }

    @Test
    void aWholeFrameStillNeedsItsDeclaredSize() {
        ByteBuffer frame = frame(ApiKeys.METADATA, (short) 4, new org.apache.kafka.common.message.MetadataRequestData());
        ByteBuffer sized = ByteBuffer.allocate(frame.remaining() + 4).putInt(frame.remaining() + 10).put(frame).flip();
        assertEquals(io.fjord.common.errors.Errors.INVALID_REQUEST, org.junit.jupiter.api.Assertions.assertThrows(
                ProtocolException.class, () -> Frames.readWholeFrame(sized, 1 << 20)).error());
    }
}
