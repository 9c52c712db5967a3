package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.Frames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of valid request and response frames of every (API, version): bit flips, byte
 * changes, truncations, insertions and rewritten length fields. Decoding must either succeed (and
 * the result encode again) or throw {@link ProtocolException}; any other throwable fails the test.
 */
class MutationFuzzTest {
    private static final long SEED = 0x5eed_f00dL;
    private static final int CASES = 120_000;

    private record Sample(ApiKeys api, short version, boolean request, byte[] bytes) {
    }

    @Test
    void mutatedFramesOnlyEverFailWithProtocolException() {
        Random random = new Random(SEED);
        List<Sample> samples = new ArrayList<>();
        for (ApiKeys api : KafkaMessages.apisKafkaSpeaks()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                for (int i = 0; i < 3; i++) {
                    samples.add(sample(api, v, true, random));
                    samples.add(sample(api, v, false, random));
                }
            }
        }
        int decoded = 0;
        int rejected = 0;
        for (int c = 0; c < CASES; c++) {
            Sample s = samples.get(random.nextInt(samples.size()));
            byte[] mutated = mutate(s.bytes, random);
            try {
                ByteBuffer frame = Frames.readWholeFrame(ByteBuffer.wrap(mutated), 1 << 20);
                if (s.request) {
                    // The mutation may have changed the API key or version in the header.
                    MessageCodec.DecodedRequest request = MessageCodec.decodeRequest(frame);
                    MessageCodec.encodeRequest(request.header(), request.body());
                } else {
                    ApiMessage body = MessageCodec.decodeResponse(s.api, s.version, frame).body();
                    MessageCodec.encodeBody(s.version, body);
                }
                decoded++;
            } catch (ProtocolException expected) {
                rejected++;
            } catch (Throwable t) {
                fail("case " + c + ": " + s.api + " v" + s.version + (s.request ? " request" : " response")
                        + " threw " + t, t);
            }
        }
        assertTrue(rejected > CASES / 4, "mutations were rejected: " + rejected);
        assertTrue(decoded > 0, "some mutations still decode: " + decoded);
    }

    private static Sample sample(ApiKeys api, short version, boolean request, Random random) {
        ApiMessage body = KafkaOracleTest.decode(api, request, version,
                new KafkaRandom(random.nextLong()).body(api, request, version));
        ByteBuffer frame = request
                ? MessageCodec.encodeRequest(new RequestHeader(api, version, random.nextInt(), "fuzz"), body).toByteBuffer()
                : MessageCodec.encodeResponse(version, random.nextInt(), body).toByteBuffer();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return new Sample(api, version, request, bytes);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            if (b.length <= 4) {
                break;
            }
            int at = 4 + random.nextInt(b.length - 4); // leave the size prefix to the frame rules
            switch (random.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt();
                case 2 -> b = truncate(b, at);
                case 3 -> writeInt(b, at, pick(random, Integer.MAX_VALUE, -1, -2, Integer.MIN_VALUE, 0x7fff, 1 << 20));
                case 4 -> writeShort(b, at, (short) pick(random, Short.MAX_VALUE, -1, -2, Short.MIN_VALUE, 0x7ff));
                case 5 -> writeVarintRun(b, at, random);
                default -> b = insert(b, at, (byte) random.nextInt());
            }
        }
        // Keep the size prefix consistent with the bytes, so the body itself is what is tested.
        if (random.nextInt(10) != 0) {
            writeInt(b, 0, b.length - 4);
        }
        return b;
    }

    private static int pick(Random random, int... values) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] truncate(byte[] b, int length) {
        byte[] out = new byte[length];
        System.arraycopy(b, 0, out, 0, length);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static void writeInt(byte[] b, int at, int value) {
        for (int i = 0; i < 4 && at + i < b.length; i++) {
            b[at + i] = (byte) (value >>> (24 - 8 * i));
        }
    }

    private static void writeShort(byte[] b, int at, short value) {
        b[at] = (byte) (value >>> 8);
        if (at + 1 < b.length) {
            b[at + 1] = (byte) value;
        }
    }

    /** Continuation bytes, as in an over-long or huge compact length. */
    private static void writeVarintRun(byte[] b, int at, Random random) {
        int run = 1 + random.nextInt(6);
        for (int i = 0; i < run && at + i < b.length; i++) {
            b[at + i] = (byte) (0x80 | random.nextInt(0x80));
        }
    }
}
