package io.fjord.compression;

import net.jpountz.xxhash.XXHashFactory;

import java.io.ByteArrayOutputStream;

/** Builds LZ4 frames byte by byte, including the variants Kafka never writes. */
final class Lz4Frames {

    /** Version 01, independent blocks: what Kafka writes. */
    static final int DEFAULT_FLG = 0x60;
    static final int BLOCK_CHECKSUM = 0x10;
    static final int CONTENT_SIZE = 0x08;
    static final int CONTENT_CHECKSUM = 0x04;
    static final int BD_64KB = 0x40;
    static final int BD_4MB = 0x70;

    private Lz4Frames() {
    }

    /** Magic, FLG, BD, optional content size of 0, the correct header checksum, then {@code body}. */
    static byte[] frame(int flg, int bd, byte[]... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(intLE(0x184D2204));
        byte[] descriptor = (flg & CONTENT_SIZE) != 0 ? new byte[10] : new byte[2];
        descriptor[0] = (byte) flg;
        descriptor[1] = (byte) bd;
        out.writeBytes(descriptor);
        out.write(headerChecksum(descriptor, 0, descriptor.length));
        for (byte[] part : body) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static int headerChecksum(byte[] bytes, int offset, int length) {
        return (XXHashFactory.safeInstance().hash32().hash(bytes, offset, length, 0) >> 8) & 0xFF;
    }

    static int xxhash32(byte[] bytes) {
        return XXHashFactory.safeInstance().hash32().hash(bytes, 0, bytes.length, 0);
    }

    static byte[] intLE(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }
}
