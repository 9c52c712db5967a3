package io.fjord.compression;

import io.fjord.api.ConfigException;
import io.fjord.api.compression.CompressionCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code level} setting of each codec: Kafka's ranges, errors that name Kafka's key. */
class CodecConfigTest {

    private static void assertRejected(CompressionCodec codec, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> codec.configure(Map.of("level", value)));
        String key = "compression." + codec.name() + ".level";
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    private static void assertAccepted(CompressionCodec codec, String value) {
        assertDoesNotThrow(() -> codec.configure(Map.of("level", value)));
    }

    @Test
    void gzipAcceptsOneToNineAndMinusOne() {
        GzipCodec gzip = new GzipCodec();
        for (String ok : new String[] {"1", "5", "9", "-1", " 6 "}) {
            assertAccepted(gzip, ok);
        }
        for (String bad : new String[] {"0", "10", "-2", "high", "", "3.5"}) {
            assertRejected(gzip, bad);
        }
    }

    @Test
    void lz4AcceptsOneToSeventeen() {
        Lz4Codec lz4 = new Lz4Codec();
        for (String ok : new String[] {"1", "9", "17"}) {
            assertAccepted(lz4, ok);
        }
        for (String bad : new String[] {"0", "18", "-1", "fast"}) {
            assertRejected(lz4, bad);
        }
    }

    /** Kafka takes zstd's own bounds: -131072 (fastest) to 22. */
    @Test
    void zstdAcceptsZstdsRange() {
        ZstdCodec zstd = new ZstdCodec();
        for (String ok : new String[] {"-131072", "-5", "0", "3", "22"}) {
            assertAccepted(zstd, ok);
        }
        for (String bad : new String[] {"-131073", "23", "99999999999", "max"}) {
            assertRejected(zstd, bad);
        }
    }

    @Test
    void unrelatedKeysAreLeftToTheBroker() {
        assertDoesNotThrow(() -> new ZstdCodec().configure(Map.of("workers", "4")));
    }

    /** The level reaches the compressor: output equals Kafka's at that level, and differs between levels. */
    @Test
    void theConfiguredLevelIsUsed() throws IOException {
        byte[] input = TestInputs.records(200_000, 3);
        Object[][] levels = {{"gzip", 1, 9}, {"lz4", 1, 17}, {"zstd", 1, 19}};
        for (Object[] row : levels) {
            String name = (String) row[0];
            byte[] low = KafkaInteropTest.compress(KafkaInteropTest.fjord(name, (Integer) row[1]), input);
            byte[] high = KafkaInteropTest.compress(KafkaInteropTest.fjord(name, (Integer) row[2]), input);
            assertArrayEquals(KafkaOracle.compress(KafkaOracle.codec(name, (Integer) row[1]), input), low);
            assertArrayEquals(KafkaOracle.compress(KafkaOracle.codec(name, (Integer) row[2]), input), high);
            assertFalse(java.util.Arrays.equals(low, high), name);
        }
    }
}
