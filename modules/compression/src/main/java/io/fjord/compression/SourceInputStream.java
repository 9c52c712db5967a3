package io.fjord.compression;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The compressed source as a decompressor sees it, remembering whether the source itself failed
 * and whether it ended before any byte. {@link CorruptionReportingInputStream} uses both to tell a
 * failing source (its {@link IOException} passes through) from corrupt data.
 */
final class SourceInputStream extends FilterInputStream {

    private boolean failed;
    private boolean sawByte;

    SourceInputStream(InputStream source) {
        super(source);
    }

    boolean failed() {
        return failed;
    }

    boolean sawByte() {
        return sawByte;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = in.read();
            sawByte |= b >= 0;
            return b;
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = in.read(b, off, len);
            sawByte |= n > 0;
            return n;
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
