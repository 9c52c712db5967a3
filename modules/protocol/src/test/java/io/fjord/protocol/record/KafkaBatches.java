package io.fjord.protocol.record;

import io.fjord.api.Header;
import io.fjord.api.compression.CompressionCodec;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Seeded record inputs written by Kafka's own builder or by Fjord's, and both sides' readings
 * reduced to one comparable form.
 */
final class KafkaBatches {

    private KafkaBatches() {
    }

    /** One record to append; {@code offset} is explicit (gaps allowed), key, value and header values may be null. */
    record Input(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
    }

    /** A record as read, bytes in Base64 ("null" for null) so that equals compares contents. */
    record Rec(long offset, long timestamp, String key, String value, List<String> headers) {
    }

    /** Batch-level settings shared by both builders. */
    record Params(CompressionCodec codec, TimestampType timestampType, long logAppendTime, long producerId,
                  short producerEpoch, int baseSequence, boolean transactional, int leaderEpoch) {

        static Params plain(CompressionCodec codec) {
            return new Params(codec, TimestampType.CREATE_TIME, RecordBatch.NO_TIMESTAMP, 1234L, (short) 5, 42,
                    false, 7);
        }
    }

    /**
     * {@code count} seeded records from {@code baseOffset}: null keys every third, null values every
     * fifth, 0 to 3 headers with a null value among them, timestamps that wander both ways, and
     * offset gaps when {@code gaps} is set (as compaction leaves them).
     */
    static List<Input> inputs(long baseOffset, int count, long seed, boolean gaps) {
        Random random = new Random(seed);
        List<Input> inputs = new ArrayList<>(count);
        long timestamp = 1_700_000_000_000L + random.nextInt(1000);
        long offset = baseOffset;
        for (int i = 0; i < count; i++) {
            byte[] key = i % 3 == 0 ? null : bytes(random, random.nextInt(20));
            byte[] value = i % 5 == 4 ? null : bytes(random, random.nextInt(400));
            Header[] headers = new Header[i % 4];
            for (int h = 0; h < headers.length; h++) {
                headers[h] = new Header("h" + h + "-é-" + i, h == 1 ? null : bytes(random, random.nextInt(10)));
            }
            timestamp += random.nextInt(2000) - 500;
            inputs.add(new Input(offset, timestamp, key, value, headers));
            offset += gaps ? 1 + random.nextInt(3) : 1;
        }
        return inputs;
    }

    static ByteBuffer kafkaBuild(Params p, long baseOffset, List<Input> inputs) {
        int estimate = 1024;
        for (Input in : inputs) {
            estimate += 64 + (in.key == null ? 0 : in.key.length) + (in.value == null ? 0 : in.value.length)
                    + 64 * in.headers.length;
        }
        Compression compression = Codecs.kafka(p.codec());
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), RecordBatch.MAGIC_VALUE_V2,
                compression, p.timestampType(), baseOffset, p.logAppendTime(), p.producerId(), p.producerEpoch(),
                p.baseSequence(), p.transactional(), p.leaderEpoch());
        for (Input in : inputs) {
            org.apache.kafka.common.header.Header[] headers = new org.apache.kafka.common.header.Header[in.headers.length];
            for (int h = 0; h < headers.length; h++) {
                headers[h] = new RecordHeader(in.headers[h].key(), in.headers[h].value());
            }
            builder.appendWithOffset(in.offset, in.timestamp, in.key, in.value, headers);
        }
        return builder.build().buffer();
    }

    static ByteBuffer fjordBuild(Params p, long baseOffset, List<Input> inputs) {
        RecordBatchBuilder builder = new RecordBatchBuilder(baseOffset)
                .compression(p.codec())
                .timestampType(io.fjord.api.TimestampType.values()[p.timestampType().id + 1], p.logAppendTime())
                .producer(p.producerId(), p.producerEpoch(), p.baseSequence())
                .transactional(p.transactional())
                .partitionLeaderEpoch(p.leaderEpoch());
        for (Input in : inputs) {
            builder.appendWithOffset(in.offset, in.timestamp, in.key, in.value, in.headers);
        }
        return builder.build();
    }

    /** The records of every batch in {@code buffer} as Kafka reads them, after Kafka's own validity check. */
    static List<Rec> kafkaRead(ByteBuffer buffer) {
        List<Rec> recs = new ArrayList<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(buffer.duplicate()).batches()) {
            batch.ensureValid();
            for (Record r : batch) {
                r.ensureValid();
                List<String> headers = new ArrayList<>();
                for (org.apache.kafka.common.header.Header h : r.headers()) {
                    headers.add(h.key() + "=" + b64(h.value()));
                }
                recs.add(new Rec(r.offset(), r.timestamp(), b64(r.key()), b64(r.value()), headers));
            }
        }
        return recs;
    }

    /** The records of every batch in {@code buffer} as Fjord reads them, after Fjord's validity check. */
    static List<Rec> fjordRead(ByteBuffer buffer, CodecRegistry codecs) {
        List<Rec> recs = new ArrayList<>();
        RecordBatchIterator batches = new RecordBatchIterator(buffer);
        while (batches.hasNext()) {
            RecordBatchView batch = batches.next();
            batch.ensureValid();
            RecordCursor cursor = batch.records(codecs, 1 << 24);
            while (cursor.next()) {
                List<String> headers = new ArrayList<>();
                for (RecordHeaderView h : cursor.headers()) {
                    headers.add(h.keyString() + "=" + b64(h.value()));
                }
                recs.add(new Rec(cursor.offset(), cursor.timestamp(), b64(cursor.key()), b64(cursor.value()), headers));
            }
        }
        if (batches.truncatedBytes() != 0) {
            throw new AssertionError(batches.truncatedBytes() + " bytes after the last batch");
        }
        return recs;
    }

    /** What the inputs should read back as (create time). */
    static List<Rec> expected(List<Input> inputs) {
        List<Rec> recs = new ArrayList<>();
        for (Input in : inputs) {
            List<String> headers = new ArrayList<>();
            for (Header h : in.headers) {
                headers.add(h.key() + "=" + b64(h.value()));
            }
            recs.add(new Rec(in.offset, in.timestamp, b64(in.key), b64(in.value), headers));
        }
        return recs;
    }

    static String b64(byte[] bytes) {
        return bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes);
    }

    static String b64(ByteBuffer buffer) {
        return b64(RecordCursor.copy(buffer));
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static ByteBuffer copy(ByteBuffer buffer) {
        return ByteBuffer.allocate(buffer.remaining()).put(buffer.duplicate()).flip();
    }

    /** A Kafka-built batch of {@code count} seeded records with the plain producer settings. */
    static ByteBuffer build(CompressionCodec codec, long baseOffset, int count, long seed) {
        return kafkaBuild(Params.plain(codec), baseOffset, inputs(baseOffset, count, seed, false));
    }
}
