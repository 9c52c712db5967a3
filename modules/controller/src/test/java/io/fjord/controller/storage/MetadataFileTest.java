package io.fjord.controller.storage;

import io.fjord.controller.ClusterIds;
import io.fjord.controller.CorruptMetadataException;
import io.fjord.controller.DynamicBrokerConfigs;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataFileTest {

    private static MetadataImage sampleImage() {
        List<TopicImage> topics = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            List<PartitionImage> partitions = new ArrayList<>();
            for (int p = 0; p <= t; p++) {
                partitions.add(new PartitionImage(p, 7, t + p, 2 * p, List.of(7), List.of(7)));
            }
            topics.add(new TopicImage("topic-" + t + (t % 2 == 0 ? "_x" : ".y"), ClusterIds.randomId(), t == 3,
                    partitions, t == 1 ? Map.of("retention.ms", "1000", "cleanup.policy", "compact,delete") : Map.of()));
        }
        DynamicBrokerConfigs brokerConfigs = new DynamicBrokerConfigs(Map.of("log.retention.ms", "5000"),
                Map.of(7, Map.of("log.cleaner.threads", "2", "message.max.bytes", "2000"), 8, Map.of("num.io.threads", "4")));
        return MetadataImage.of(ClusterIds.toString(ClusterIds.randomId()), 7, 42, topics, new java.util.TreeMap<>(), -1,
                brokerConfigs);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Test
    void roundTripsThroughTheFile(@TempDir Path dir) throws IOException {
        MetadataImage image = sampleImage();
        MetadataFile.write(dir, image);
        assertEquals(image, MetadataFile.read(dir).orElseThrow());
        assertFalse(Files.exists(AtomicFiles.tempFileOf(MetadataFile.path(dir))), "the temp file was renamed away");
    }

    @Test
    void missingFileIsEmptyAndALeftoverTempFileIsDiscarded(@TempDir Path dir) throws IOException {
        assertTrue(MetadataFile.read(dir).isEmpty());
        MetadataImage image = sampleImage();
        MetadataFile.write(dir, image);
        Files.write(AtomicFiles.tempFileOf(MetadataFile.path(dir)), new byte[] {1, 2, 3});
        assertEquals(image, MetadataFile.read(dir).orElseThrow());
        assertFalse(Files.exists(AtomicFiles.tempFileOf(MetadataFile.path(dir))));
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] whole = bytes(MetadataFile.encode(sampleImage()));
        for (int length = 0; length < whole.length; length++) {
            ByteBuffer torn = ByteBuffer.wrap(whole, 0, length);
            assertThrows(CorruptMetadataException.class, () -> MetadataFile.decode(Path.of("m"), torn), "length " + length);
        }
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] whole = bytes(MetadataFile.encode(sampleImage()));
        for (int i = 0; i < whole.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = whole.clone();
                flipped[i] ^= (byte) (1 << bit);
                CorruptMetadataException e = assertThrows(CorruptMetadataException.class,
                        () -> MetadataFile.decode(Path.of("m"), ByteBuffer.wrap(flipped)), "byte " + i + " bit " + bit);
                assertTrue(e.getMessage().startsWith("Corrupt metadata file m: "), e.getMessage());
            }
        }
    }

    @Test
    void crcMismatchIsNamedInTheMessage() {
        byte[] whole = bytes(MetadataFile.encode(sampleImage()));
        whole[whole.length - 1] ^= 1;
        CorruptMetadataException e = assertThrows(CorruptMetadataException.class,
                () -> MetadataFile.decode(Path.of("m"), ByteBuffer.wrap(whole)));
        assertTrue(e.getMessage().contains("CRC-32C mismatch"), e.getMessage());
    }

    /** Hostile counts behind a valid CRC: refused before anything is allocated for them. */
    @Test
    void hugeCountsWithAValidCrcAreRefused() {
        for (int count : new int[] {Integer.MAX_VALUE, -1, 1 << 28}) {
            ByteBuffer payload = ByteBuffer.allocate(64);
            payload.putShort((short) 2).put("id".getBytes()).putInt(1).putLong(1).putInt(count).flip();
            CorruptMetadataException e = assertThrows(CorruptMetadataException.class,
                    () -> MetadataFile.decode(Path.of("m"), withHeader(payload)));
            assertTrue(e.getMessage().contains("topic count of " + count), e.getMessage());
        }
        ByteBuffer hugeString = ByteBuffer.allocate(8);
        hugeString.putShort((short) 30000).flip();
        assertThrows(CorruptMetadataException.class, () -> MetadataFile.decode(Path.of("m"), withHeader(hugeString)));
    }

    private static ByteBuffer withHeader(ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        ByteBuffer file = ByteBuffer.allocate(MetadataFile.HEADER_SIZE + payload.remaining());
        file.putInt(MetadataFile.MAGIC).putShort(MetadataFile.VERSION).putShort((short) 0)
                .putInt(payload.remaining()).putInt((int) crc.getValue()).put(payload).flip();
        return file;
    }

    @Test
    void oversizedFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(MetadataFile.path(dir).toFile(), "rw")) {
            file.setLength(MetadataFile.MAX_FILE_SIZE + 1);
        }
        CorruptMetadataException e = assertThrows(CorruptMetadataException.class, () -> MetadataFile.read(dir));
        assertTrue(e.getMessage().contains("more than the " + MetadataFile.MAX_FILE_SIZE), e.getMessage());
    }

    @Test
    void newerFormatVersionIsRefusedClearly() {
        byte[] whole = bytes(MetadataFile.encode(sampleImage()));
        whole[5] = 9;
        CorruptMetadataException e = assertThrows(CorruptMetadataException.class,
                () -> MetadataFile.decode(Path.of("m"), ByteBuffer.wrap(whole)));
        assertTrue(e.getMessage().contains("unsupported format version 9"), e.getMessage());
    }

    @Test
    void versionOneFilesWithoutBrokerSettingsAreStillRead() throws CorruptMetadataException {
        MetadataImage image = sampleImage();
        MetadataImage withoutSettings = MetadataImage.of(image.clusterId(), image.nodeId(), image.epoch(),
                image.topicsByName().values());
        ByteBuffer current = MetadataFile.encode(withoutSettings);
        // Version 1 is version 2 without the two empty counts of broker settings at the end.
        ByteBuffer payload = current.duplicate().position(MetadataFile.HEADER_SIZE).limit(current.limit() - 8).slice();
        ByteBuffer versionOne = withHeader(payload);
        versionOne.putShort(4, MetadataFile.VERSION_1);
        MetadataImage read = MetadataFile.decode(Path.of("m"), versionOne);
        assertEquals(withoutSettings, read);
        assertEquals(DynamicBrokerConfigs.NONE, read.brokerConfigs());
    }

    @Test
    void brokerSettingsRoundTripAndGiveTheSameBytes() {
        MetadataImage image = sampleImage();
        byte[] first = bytes(MetadataFile.encode(image));
        MetadataImage copy = MetadataImage.of(image.clusterId(), image.nodeId(), image.epoch(),
                image.topicsByName().values(), new java.util.TreeMap<>(), -1, new DynamicBrokerConfigs(image.brokerConfigs().clusterDefault(),
                        new java.util.TreeMap<>(image.brokerConfigs().perBroker())));
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(bytes(MetadataFile.encode(copy))));
        assertEquals(Map.of("log.cleaner.threads", "2", "message.max.bytes", "2000"),
                image.brokerConfigs().of(java.util.OptionalInt.of(7)));
    }
}
