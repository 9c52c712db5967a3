package io.fjord.compression;

import io.fjord.api.compression.CorruptDataException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Wraps a third-party decompressing stream (JDK gzip, zstd-jni) so that every failure caused by
 * the compressed bytes surfaces as {@link CorruptDataException}: a {@code ZipException}, an
 * {@code EOFException} for a truncated frame, zstd-jni's {@code ZstdIOException} or its unchecked
 * {@code ZstdException}. An {@link IOException} thrown by the source itself passes through as it is.
 */
final class CorruptionReportingInputStream extends FilterInputStream {

    private final String codecName;
    private final SourceInputStream source;

    /**
     * @param decompressor the stream that decompresses {@code source}; closing this stream closes it
     * @param source what {@code decompressor} reads from
     */
    CorruptionReportingInputStream(String codecName, InputStream decompressor, SourceInputStream source) {
        super(decompressor);
        this.codecName = codecName;
        this.source = source;
    }

    /**
     * Translates a failure while building a decompressor (which may already read a header) the
     * same way reads are translated.
     */
    static IOException translate(String codecName, SourceInputStream source, Exception e) {
        if (e instanceof CorruptDataException || (source.failed() && e instanceof IOException)) {
            return (IOException) e;
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!source.sawByte()) {
            return new CorruptDataException("Empty " + codecName + " input: no compressed frame", e);
        }
        return new CorruptDataException("Corrupt " + codecName + " data: " + detail, e);
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException | RuntimeException e) {
            throw translate(codecName, source, e);
        }
        return b >= 0 ? b : endOfStream();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw translate(codecName, source, e);
        }
        return n >= 0 ? n : endOfStream();
    }

    /** An empty source holds no frame at all; some decoders would report it as empty output. */
    private int endOfStream() throws CorruptDataException {
        if (!source.sawByte()) {
            throw new CorruptDataException("Empty " + codecName + " input: no compressed frame");
        }
        return -1;
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException | RuntimeException e) {
            throw translate(codecName, source, e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (IOException | RuntimeException e) {
            throw translate(codecName, source, e);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
