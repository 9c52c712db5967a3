package io.fjord.compression;

/**
 * Constants of the LZ4 frame format (lz4 frame spec 1.6) as Kafka uses it for record batches.
 *
 * <pre>
 * frame  = magic:int32LE(0x184D2204) FLG:int8 BD:int8 [contentSize:int64LE] HC:int8 block* endMark:int32LE(0) [contentChecksum:int32LE]
 * block  = size:int32LE data:byte[size &amp; 0x7FFFFFFF] [blockChecksum:int32LE]
 * </pre>
 *
 * FLG: bits 7-6 version (01), bit 5 block independence, bit 4 block checksum, bit 3 content
 * size, bit 2 content checksum, bit 1 reserved (0), bit 0 dictionary id. BD: bits 6-4 the maximum
 * block size (4 = 64 KiB ... 7 = 4 MiB), other bits reserved (0). HC is the second byte of the
 * XXHash32 (seed 0) of the descriptor from FLG up to HC. The high bit of a block size marks a
 * block stored uncompressed. Checksums are XXHash32 with seed 0.
 */
final class Lz4Frame {

    static final int MAGIC = 0x184D2204;
    static final int VERSION = 1;

    static final int FLG_VERSION_SHIFT = 6;
    static final int FLG_BLOCK_INDEPENDENCE = 1 << 5;
    static final int FLG_BLOCK_CHECKSUM = 1 << 4;
    static final int FLG_CONTENT_SIZE = 1 << 3;
    static final int FLG_CONTENT_CHECKSUM = 1 << 2;
    static final int FLG_RESERVED = 1 << 1;
    static final int FLG_DICTIONARY_ID = 1;

    static final int BD_SIZE_SHIFT = 4;
    static final int BD_SIZE_MASK = 0x7;
    static final int BD_RESERVED = 0x8F;
    /** BD size id 4: Kafka always writes 64 KiB blocks. */
    static final int BLOCK_SIZE_ID_64KB = 4;
    static final int BLOCK_SIZE_ID_MIN = 4;
    static final int BLOCK_SIZE_ID_MAX = 7;

    static final int UNCOMPRESSED_FLAG = 0x80000000;

    private Lz4Frame() {
    }

    /** The maximum block size a BD size id (4 to 7) stands for: 64 KiB, 256 KiB, 1 MiB, 4 MiB. */
    static int maxBlockSize(int sizeId) {
        return 1 << (2 * sizeId + 8);
    }

    /** The header checksum byte HC over {@code descriptor[offset, offset + length)}. */
    static int headerChecksum(net.jpountz.xxhash.XXHash32 hash, byte[] descriptor, int offset, int length) {
        return (hash.hash(descriptor, offset, length, 0) >> 8) & 0xFF;
    }
}
