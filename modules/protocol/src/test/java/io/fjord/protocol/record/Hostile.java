package io.fjord.protocol.record;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** Helpers to forge hostile batches and read them to the end the way a broker or consumer would. */
final class Hostile {

    private static final Object THREAD_BEAN;
    private static final Method ALLOCATED_BYTES;

    static {
        // Reflection, because the test module does not read java.management; core reflection
        // needs no readability, and the bean's interface is public and exported.
        try {
            THREAD_BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED_BYTES = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Hostile() {
    }

    /** Bytes allocated by the current thread so far. */
    static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invoke(THREAD_BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes batch length and CRC agree with the bytes again, so that the forgery gets past both checks. */
    static ByteBuffer reseal(ByteBuffer batch) {
        if (batch.remaining() >= RecordBatchView.HEADER_SIZE) {
            batch.putInt(batch.position() + RecordBatchView.BATCH_LENGTH_OFFSET, batch.remaining() - RecordBatchView.LOG_OVERHEAD);
            CRC32C crc = new CRC32C();
            crc.update(batch.duplicate().position(batch.position() + RecordBatchView.ATTRIBUTES_OFFSET));
            batch.putInt(batch.position() + RecordBatchView.CRC_OFFSET, (int) crc.getValue());
        }
        return batch;
    }

    /**
     * Reads every batch and every record as a consumer would: walk, validate, iterate, touch every
     * slice and header. Returns the records read.
     */
    static int readAll(ByteBuffer buffer, CodecRegistry codecs, int maxDecompressedBytes) {
        int records = 0;
        RecordBatchIterator batches = new RecordBatchIterator(buffer);
        while (batches.hasNext()) {
            RecordBatchView batch = batches.next();
            batch.ensureValid();
            RecordCursor cursor = batch.records(codecs, maxDecompressedBytes);
            while (cursor.next()) {
                records++;
                long sink = cursor.offset() + cursor.timestamp() + cursor.sequence();
                if (cursor.key() != null) {
                    sink += cursor.key().remaining();
                }
                if (cursor.value() != null) {
                    sink += cursor.value().remaining();
                }
                for (RecordHeaderView h : cursor.headers()) {
                    sink += h.keyString().length() + (h.value() == null ? 0 : h.value().remaining());
                }
                if (sink == Long.MIN_VALUE) {
                    records--;
                }
            }
        }
        return records;
    }

    /** The error that reading a single batch ends in, or null if it reads cleanly. */
    static Errors errorOf(ByteBuffer batch, CodecRegistry codecs, int maxDecompressedBytes) {
        try {
            RecordBatchView view = RecordBatchView.wrap(batch);
            view.ensureValid();
            RecordCursor cursor = view.records(codecs, maxDecompressedBytes);
            while (cursor.next()) {
                cursor.headers();
            }
            return null;
        } catch (ProtocolException e) {
            return e.error();
        }
    }
}
