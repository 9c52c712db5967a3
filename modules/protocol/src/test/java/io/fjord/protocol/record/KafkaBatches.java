package io.fjord.protocol.record;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Batches written by Kafka's own builder, the reference Fjord's reader is held to. */
final class KafkaBatches {

    private KafkaBatches() {
    }

    /** A seeded batch of {@code count} records with keys, null keys, null values and headers. */
    static ByteBuffer build(Compression compression, long baseOffset, int count, long seed) {
        return build(compression, TimestampType.CREATE_TIME, baseOffset, RecordBatch.NO_TIMESTAMP,
                1234L, (short) 5, 42, false, 7, count, seed);
    }

    static ByteBuffer build(Compression compression, TimestampType timestampType, long baseOffset,
                            long logAppendTime, long producerId, short producerEpoch, int baseSequence,
                            boolean transactional, int leaderEpoch, int count, long seed) {
        Random random = new Random(seed);
        ByteBuffer buffer = ByteBuffer.allocate(1024 + count * 600);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                timestampType, baseOffset, logAppendTime, producerId, producerEpoch, baseSequence,
                transactional, leaderEpoch);
        long timestamp = 1_700_000_000_000L + random.nextInt(1000);
        for (int i = 0; i < count; i++) {
            byte[] key = i % 3 == 0 ? null : bytes(random, random.nextInt(20));
            byte[] value = i % 5 == 4 ? null : bytes(random, random.nextInt(400));
            Header[] headers = new Header[i % 4];
            for (int h = 0; h < headers.length; h++) {
                headers[h] = new RecordHeader("h" + h + "-" + i, h == 1 ? null : bytes(random, random.nextInt(10)));
            }
            // Timestamps wander both ways, so deltas below the base timestamp occur.
            timestamp += random.nextInt(2000) - 500;
            builder.append(timestamp, key, value, headers);
        }
        return builder.build().buffer();
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
