package io.fjord.assignors.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the classic Kafka types into a buffer sized exactly by the caller beforehand (one
 * allocation per message), and the size arithmetic that goes with it.
 */
final class ProtocolWriter {

    private ProtocolWriter() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int stringSize(byte[] utf8) {
        return 2 + utf8.length;
    }

    static void writeString(ByteBuffer out, byte[] utf8) {
        if (utf8.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("a string of " + utf8.length + " bytes does not fit an INT16 length");
        }
        out.putShort((short) utf8.length);
        out.put(utf8);
    }

    static void writeNullableString(ByteBuffer out, byte[] utf8OrNull) {
        if (utf8OrNull == null) {
            out.putShort((short) -1);
        } else {
            writeString(out, utf8OrNull);
        }
    }

    static int nullableBytesSize(ByteBuffer bytesOrNull) {
        return 4 + (bytesOrNull == null ? 0 : bytesOrNull.remaining());
    }

    /** Writes the bytes from position to limit of {@code bytesOrNull}; its position does not move. */
    static void writeNullableBytes(ByteBuffer out, ByteBuffer bytesOrNull) {
        if (bytesOrNull == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytesOrNull.remaining());
            out.put(bytesOrNull.duplicate());
        }
    }

    /** Size of {@code [topic STRING, partitions [INT32]]} entries. */
    static int topicPartitionsSize(List<byte[]> topics, List<int[]> partitions) {
        int size = 4;
        for (int i = 0; i < topics.size(); i++) {
            size += stringSize(topics.get(i)) + 4 + 4 * partitions.get(i).length;
        }
        return size;
    }

    static void writeTopicPartitions(ByteBuffer out, List<byte[]> topics, List<int[]> partitions) {
        out.putInt(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            writeString(out, topics.get(i));
            int[] ps = partitions.get(i);
            out.putInt(ps.length);
            for (int p : ps) {
                out.putInt(p);
            }
        }
    }
}
