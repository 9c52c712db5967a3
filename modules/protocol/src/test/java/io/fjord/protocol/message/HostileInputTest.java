package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.Frames;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Malformed requests end in a {@link ProtocolException} with the right error. The module's tests
 * run with a small heap (see the POM), so an allocation sized by a hostile length would fail them
 * with an {@link OutOfMemoryError} rather than pass.
 */
class HostileInputTest {

    private static Errors errorOf(Executable e) {
        return assertThrows(ProtocolException.class, e).error();
    }

    /** A request frame body (after the size prefix): header v1 with client id "c", then body. */
    private static ByteBuffer frame(int apiKey, int version, ByteBuffer body) {
        ByteBuffer b = ByteBuffer.allocate(11 + body.remaining());
        b.putShort((short) apiKey).putShort((short) version).putInt(1).putShort((short) 1).put((byte) 'c');
        return b.put(body.duplicate()).flip();
    }

    private static ByteBuffer validFrame(ApiKeys api, short version, long seed) {
        ApiMessage body = KafkaOracleTest.decode(api, true, version, new KafkaRandom(seed).body(api, true, version));
        ByteBuffer whole = MessageCodec.encodeRequest(new RequestHeader(api, version, 5, "client"), body)
                .toByteBuffer();
        return Frames.readWholeFrame(whole, Integer.MAX_VALUE);
    }

    @Test
    void everyTruncationOfEveryRequestIsInvalid() {
        for (ApiKeys api : KafkaMessages.apisKafkaSpeaks()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                ByteBuffer frame = validFrame(api, v, v);
                MessageCodec.decodeRequest(frame.duplicate());
                for (int length = 0; length < frame.remaining(); length++) {
                    ByteBuffer cut = frame.slice(0, length);
                    assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(cut)),
                            api + " v" + v + " cut at " + length);
                }
            }
        }
    }

    @Test
    void trailingBytesAreCountedNotRefused() {
        ByteBuffer frame = validFrame(ApiKeys.METADATA, (short) 4, 1);
        ApiMessage body = MessageCodec.decodeRequest(frame.duplicate()).body();
        ByteBuffer longer = ByteBuffer.allocate(frame.remaining() + 3).put(frame).put(new byte[3]).flip();
        MessageCodec.DecodedRequest decoded = MessageCodec.decodeRequest(longer);
        assertEquals(3, decoded.trailingBytes());
        assertEquals(body, decoded.body());
    }

    @Test
    void arrayClaimingTwoBillionElementsInTwentyBytes() {
        ByteBuffer body = ByteBuffer.allocate(20).putInt(0, Integer.MAX_VALUE);
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(3, 1, body))));
        // The same in a compact array (DeleteGroups v2): uvarint 2^31.
        ByteBuffer compact = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0, 0});
        ByteBuffer flexible = ByteBuffer.allocate(compact.remaining() + 12).putShort((short) 42).putShort((short) 2)
                .putInt(1).putShort((short) 1).put((byte) 'c').put((byte) 0).put(compact).flip();
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(flexible)));
    }

    @Test
    void stringClaiming32767BytesInTen() {
        ByteBuffer header = ByteBuffer.allocate(18).putShort((short) 3).putShort((short) 1).putInt(1)
                .putShort(Short.MAX_VALUE).flip().limit(18);
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(header)));
        ByteBuffer body = ByteBuffer.allocate(10).putShort(0, Short.MAX_VALUE); // FindCoordinator key
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(10, 0, body))));
    }

    @Test
    void overLongCompactLength() {
        // ApiVersions v3: client_software_name with a six-byte varint length.
        ByteBuffer b = ByteBuffer.allocate(64).putShort((short) 18).putShort((short) 3).putInt(1)
                .putShort((short) -1).put((byte) 0);
        for (int i = 0; i < 5; i++) {
            b.put((byte) 0xff);
        }
        b.put((byte) 0x01).put((byte) 0).put((byte) 0).flip();
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(b)));
    }

    @Test
    void negativeLengths() {
        // A negative count other than -1 is null where null is allowed, as Kafka reads it.
        ByteBuffer body = ByteBuffer.allocate(8).putInt(0, -5);
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(3, 0, body))));
        assertEquals(null, ((MetadataRequest) MessageCodec.decodeRequest(frame(3, 1, body)).body()).topics());
        // Metadata v0 does not allow a null topic array.
        ByteBuffer nullArray = ByteBuffer.allocate(4).putInt(0, -1);
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(3, 0, nullArray))));
        // ...but v1 does.
        MetadataRequest v1 = (MetadataRequest) MessageCodec.decodeRequest(frame(3, 1, nullArray)).body();
        assertEquals(null, v1.topics());
    }

    @Test
    void unknownApiKeysAndUnsupportedVersions() {
        ByteBuffer empty = ByteBuffer.allocate(0);
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(29, 0, empty))));
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(-1, 0, empty))));
        assertEquals(Errors.INVALID_REQUEST, errorOf(() -> MessageCodec.decodeRequest(frame(999, 0, empty))));
        assertEquals(Errors.UNSUPPORTED_VERSION, errorOf(() -> MessageCodec.decodeRequest(frame(0, 8, empty))));
        assertEquals(Errors.UNSUPPORTED_VERSION, errorOf(() -> MessageCodec.decodeRequest(frame(1, 3, empty))));
        // Version 11 would be flexible: its header ends with an (empty) tagged-field section.
        ByteBuffer headerTags = ByteBuffer.wrap(new byte[] {0});
        assertEquals(Errors.UNSUPPORTED_VERSION, errorOf(() -> MessageCodec.decodeRequest(frame(2, 11, headerTags))));
        assertEquals(Errors.UNSUPPORTED_VERSION, errorOf(() -> MessageCodec.decodeRequest(frame(2, 0, empty))));
        assertEquals(Errors.UNSUPPORTED_VERSION, errorOf(() -> MessageCodec.decodeRequest(frame(18, -1, empty))));
    }

    @Test
    void encoderRefusesNullWhereTheVersionForbidsIt() {
        MetadataRequest metadata = new MetadataRequest().setTopics(null);
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encodeBody((short) 0, metadata));
        ByteBuffer v1 = MessageCodec.encodeBody((short) 1, metadata).toByteBuffer();
        assertEquals(-1, v1.getInt(0));
        WireWriter w = new WireWriter();
        assertThrows(IllegalArgumentException.class, () -> w.writeString("x".repeat(40_000), false));
    }
}
