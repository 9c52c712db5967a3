package io.fjord.controller.storage;

import io.fjord.controller.CorruptMetadataException;
import io.fjord.controller.DynamicBrokerConfigs;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicImage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The single-node store's metadata file, {@code fjord-metadata} in the metadata log dir:
 * one whole {@link MetadataImage}, rewritten atomically on every change.
 *
 * <p>Layout, big-endian like Kafka's formats:
 * <pre>
 * header   magic INT32 ("FJMD") | version INT16 (2) | attributes INT16 (0) | payload length INT32 | CRC-32C INT32 of the payload
 * payload  cluster id STRING | node id INT32 | epoch INT64 | topic count INT32 | topics
 *          | configs (the cluster-wide dynamic broker settings) | broker count INT32 | brokers
 * broker   broker id INT32 | configs (its dynamic settings)
 * configs  config count INT32 | (key STRING, value LSTRING)*
 * topic    name STRING | id INT64 INT64 | internal INT8 | configs | partition count INT32 | partitions
 * partition leader INT32 | leader epoch INT32 | partition epoch INT32
 *          | replica count INT32 | replica INT32* | isr count INT32 | isr INT32*
 * STRING = INT16 length + UTF-8, LSTRING = INT32 length + UTF-8
 * </pre>
 * Version 1, written before dynamic broker settings existed, ends after the topics; it is read
 * as having none.
 *
 * <p>Invariants: the file is exactly header plus payload length bytes; the CRC covers every
 * payload byte, so a torn or bit-flipped file is detected before any field is trusted; reading
 * never allocates more than the bytes present (counts are checked against the bytes left).
 */
public final class MetadataFile {

    /** The file name in the metadata log dir. */
    public static final String FILE_NAME = "fjord-metadata";
    /** "FJMD" in ASCII. */
    public static final int MAGIC = 0x464A4D44;
    /** The current format version. */
    public static final short VERSION = 2;
    /** The first format version, without dynamic broker settings; still read. */
    public static final short VERSION_1 = 1;
    /** Bytes before the payload. */
    public static final int HEADER_SIZE = 16;
    /**
     * The largest file read: far above any real cluster (a partition takes about 30 bytes, so this
     * is millions of partitions), and small enough that a wrong or damaged file of many gigabytes
     * is refused with a clear message instead of exhausting the heap.
     */
    public static final long MAX_FILE_SIZE = 256L * 1024 * 1024;

    // The smallest encodings, to bound counts by the bytes actually present.
    private static final int MIN_TOPIC_SIZE = 2 + 16 + 1 + 4 + 4;
    private static final int MIN_CONFIG_SIZE = 2 + 4;
    private static final int MIN_PARTITION_SIZE = 4 * 5;
    private static final int MIN_BROKER_SIZE = 4 + 4;

    private MetadataFile() {
    }

    /** The file's path in the given metadata log dir. */
    public static Path path(Path metadataLogDir) {
        return metadataLogDir.resolve(FILE_NAME);
    }

    /** The image as this file's bytes, header included. The returned buffer is the caller's. */
    public static ByteBuffer encode(MetadataImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeShortString(out, image.clusterId());
            out.writeInt(image.nodeId());
            out.writeLong(image.epoch());
            // Sorted by name so the same image always gives the same bytes.
            Map<String, TopicImage> topics = new TreeMap<>(image.topicsByName());
            out.writeInt(topics.size());
            for (TopicImage topic : topics.values()) {
                writeShortString(out, topic.name());
                out.writeLong(topic.id().getMostSignificantBits());
                out.writeLong(topic.id().getLeastSignificantBits());
                out.writeByte(topic.internal() ? 1 : 0);
                writeConfigs(out, topic.configs());
                out.writeInt(topic.partitionCount());
                for (PartitionImage partition : topic.partitions()) {
                    out.writeInt(partition.leader());
                    out.writeInt(partition.leaderEpoch());
                    out.writeInt(partition.partitionEpoch());
                    writeInts(out, partition.replicas());
                    writeInts(out, partition.isr());
                }
            }
            DynamicBrokerConfigs brokerConfigs = image.brokerConfigs();
            writeConfigs(out, brokerConfigs.clusterDefault());
            Map<Integer, Map<String, String>> perBroker = new TreeMap<>(brokerConfigs.perBroker());
            out.writeInt(perBroker.size());
            for (Map.Entry<Integer, Map<String, String>> broker : perBroker.entrySet()) {
                out.writeInt(broker.getKey());
                writeConfigs(out, broker.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        byte[] payload = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + payload.length);
        buffer.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putInt(payload.length)
                .putInt((int) crc.getValue()).put(payload).flip();
        return buffer;
    }

    /** Durably replaces the file in the given dir with the image. */
    public static void write(Path metadataLogDir, MetadataImage image) throws IOException {
        AtomicFiles.write(path(metadataLogDir), encode(image));
    }

    /**
     * Reads the file in the given dir. A leftover temp file from a write that never finished is
     * removed: its rename never happened, so the change it held was never acknowledged.
     *
     * @return empty if the dir has no metadata file
     * @throws CorruptMetadataException if the file is truncated, fails its CRC or is malformed
     */
    public static Optional<MetadataImage> read(Path metadataLogDir) throws IOException {
        Files.deleteIfExists(AtomicFiles.tempFileOf(path(metadataLogDir)));
        Path file = path(metadataLogDir);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (size > MAX_FILE_SIZE) {
            throw new CorruptMetadataException(file, "the file has " + size + " bytes, more than the "
                    + MAX_FILE_SIZE + " a metadata file can have");
        }
        byte[] bytes = Files.readAllBytes(file);
        return Optional.of(decode(file, ByteBuffer.wrap(bytes)));
    }

    /**
     * Decodes a whole file's bytes. The buffer is read from its position to its limit and is not
     * kept.
     *
     * @param file the file the bytes came from, for messages
     * @throws CorruptMetadataException if the bytes are not a valid metadata file
     */
    public static MetadataImage decode(Path file, ByteBuffer buffer) throws CorruptMetadataException {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new CorruptMetadataException(file, "truncated: " + buffer.remaining()
                    + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        int magic = buffer.getInt();
        if (magic != MAGIC) {
            throw new CorruptMetadataException(file, String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        short version = buffer.getShort();
        if (version != VERSION && version != VERSION_1) {
            throw new CorruptMetadataException(file, "unsupported format version " + version
                    + "; this broker reads versions " + VERSION_1 + " and " + VERSION);
        }
        short attributes = buffer.getShort();
        if (attributes != 0) {
            throw new CorruptMetadataException(file, "unknown attributes " + attributes);
        }
        int length = buffer.getInt();
        int storedCrc = buffer.getInt();
        if (length < 0 || length != buffer.remaining()) {
            throw new CorruptMetadataException(file, "the header declares a " + length + "-byte payload but "
                    + buffer.remaining() + " bytes follow (torn write?)");
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate());
        if ((int) crc.getValue() != storedCrc) {
            throw new CorruptMetadataException(file, String.format(
                    "CRC-32C mismatch: stored 0x%08x, computed 0x%08x", storedCrc, (int) crc.getValue()));
        }
        try {
            return decodePayload(file, buffer, version);
        } catch (BufferUnderflowException e) {
            throw new CorruptMetadataException(file, "a field runs past the end of the payload");
        } catch (IllegalArgumentException e) {
            throw new CorruptMetadataException(file, "inconsistent content: " + e.getMessage());
        }
    }

    private static MetadataImage decodePayload(Path file, ByteBuffer buffer, short version)
            throws CorruptMetadataException {
        String clusterId = readString(file, buffer, buffer.getShort());
        int nodeId = buffer.getInt();
        long epoch = buffer.getLong();
        int topicCount = readCount(file, buffer, MIN_TOPIC_SIZE, "topic");
        List<TopicImage> topics = new ArrayList<>(topicCount);
        for (int t = 0; t < topicCount; t++) {
            String name = readString(file, buffer, buffer.getShort());
            UUID id = new UUID(buffer.getLong(), buffer.getLong());
            byte internal = buffer.get();
            if (internal != 0 && internal != 1) {
                throw new CorruptMetadataException(file, "topic " + name + " has internal flag " + internal);
            }
            Map<String, String> configs = readConfigs(file, buffer);
            int partitionCount = readCount(file, buffer, MIN_PARTITION_SIZE, "partition");
            List<PartitionImage> partitions = new ArrayList<>(partitionCount);
            for (int p = 0; p < partitionCount; p++) {
                int leader = buffer.getInt();
                int leaderEpoch = buffer.getInt();
                int partitionEpoch = buffer.getInt();
                List<Integer> replicas = readInts(file, buffer);
                List<Integer> isr = readInts(file, buffer);
                partitions.add(new PartitionImage(p, leader, leaderEpoch, partitionEpoch, replicas, isr));
            }
            topics.add(new TopicImage(name, id, internal == 1, partitions, configs));
        }
        DynamicBrokerConfigs brokerConfigs = DynamicBrokerConfigs.NONE;
        if (version >= VERSION) {
            Map<String, String> clusterDefault = readConfigs(file, buffer);
            int brokerCount = readCount(file, buffer, MIN_BROKER_SIZE, "broker");
            Map<Integer, Map<String, String>> perBroker = new HashMap<>();
            for (int b = 0; b < brokerCount; b++) {
                int brokerId = buffer.getInt();
                if (perBroker.put(brokerId, readConfigs(file, buffer)) != null) {
                    throw new CorruptMetadataException(file, "broker " + brokerId + " has two sets of settings");
                }
            }
            brokerConfigs = new DynamicBrokerConfigs(clusterDefault, perBroker);
        }
        if (buffer.hasRemaining()) {
            throw new CorruptMetadataException(file, buffer.remaining() + " unexpected bytes after the last "
                    + (version >= VERSION ? "broker" : "topic"));
        }
        return MetadataImage.of(clusterId, nodeId, epoch, topics, new TreeMap<>(), -1, brokerConfigs);
    }

    private static Map<String, String> readConfigs(Path file, ByteBuffer buffer) throws CorruptMetadataException {
        int configCount = readCount(file, buffer, MIN_CONFIG_SIZE, "config");
        Map<String, String> configs = new HashMap<>();
        for (int c = 0; c < configCount; c++) {
            String key = readString(file, buffer, buffer.getShort());
            configs.put(key, readString(file, buffer, buffer.getInt()));
        }
        return configs;
    }

    /** Sorted by key so the same configs always give the same bytes. */
    private static void writeConfigs(DataOutputStream out, Map<String, String> configs) throws IOException {
        Map<String, String> sorted = new TreeMap<>(configs);
        out.writeInt(sorted.size());
        for (Map.Entry<String, String> config : sorted.entrySet()) {
            writeShortString(out, config.getKey());
            byte[] value = config.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static int readCount(Path file, ByteBuffer buffer, int minElementSize, String what)
            throws CorruptMetadataException {
        int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining() / minElementSize) {
            throw new CorruptMetadataException(file, "a " + what + " count of " + count + " does not fit the "
                    + buffer.remaining() + " bytes left");
        }
        return count;
    }

    private static List<Integer> readInts(Path file, ByteBuffer buffer) throws CorruptMetadataException {
        int count = readCount(file, buffer, 4, "broker id");
        Integer[] ids = new Integer[count];
        for (int i = 0; i < count; i++) {
            ids[i] = buffer.getInt();
        }
        return List.of(ids);
    }

    private static String readString(Path file, ByteBuffer buffer, int length) throws CorruptMetadataException {
        if (length < 0 || length > buffer.remaining()) {
            throw new CorruptMetadataException(file, "a string length of " + length + " does not fit the "
                    + buffer.remaining() + " bytes left");
        }
        ByteBuffer slice = buffer.slice();
        slice.limit(length);
        buffer.position(buffer.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptMetadataException(file, "a string is not valid UTF-8");
        }
    }

    private static void writeShortString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long: "
                    + value.substring(0, 40) + "...");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static void writeInts(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int value : values) {
            out.writeInt(value);
        }
    }
}
