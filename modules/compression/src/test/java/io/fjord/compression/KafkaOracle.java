package io.fjord.compression;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Kafka's own codecs, driven the way Kafka drives them for a magic-2 record batch. */
final class KafkaOracle {

    private KafkaOracle() {
    }

    /** Kafka's codec of that {@code compression.type} at a level, or its default when null. */
    static Compression codec(String name, Integer level) {
        switch (name) {
            case "none":
                return Compression.NONE;
            case "gzip":
                return level == null ? Compression.gzip().build() : Compression.gzip().level(level).build();
            case "lz4":
                return level == null ? Compression.lz4().build() : Compression.lz4().level(level).build();
            case "zstd":
                return level == null ? Compression.zstd().build() : Compression.zstd().level(level).build();
            case "snappy":
                return Compression.snappy().build();
            default:
                throw new IllegalArgumentException(name);
        }
    }

    static byte[] compress(Compression kafka, byte[] input) throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream(64);
        try (OutputStream c = kafka.wrapForOutput(out, RecordBatch.CURRENT_MAGIC_VALUE)) {
            c.write(input);
        }
        ByteBuffer written = out.buffer().flip();
        return Arrays.copyOfRange(written.array(), written.arrayOffset(), written.arrayOffset() + written.limit());
    }

    static byte[] decompress(Compression kafka, byte[] compressed) throws IOException {
        try (InputStream in = kafka.wrapForInput(ByteBuffer.wrap(compressed),
                RecordBatch.CURRENT_MAGIC_VALUE, BufferSupplier.NO_CACHING)) {
            return readAll(in);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[7919];
        int n;
        while ((n = in.read(chunk)) != -1) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
