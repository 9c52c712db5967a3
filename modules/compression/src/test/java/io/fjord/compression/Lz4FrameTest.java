package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.compression.CorruptDataException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LZ4 frame details: the header Fjord writes, and the optional features its reader accepts. */
class Lz4FrameTest {

    private final CompressionCodec lz4 = KafkaInteropTest.fjord("lz4", null);

    private byte[] decompress(byte[] frame) throws IOException {
        return KafkaInteropTest.decompress(lz4, frame);
    }

    private static byte[] compressedBlock(byte[] data) {
        LZ4Compressor compressor = LZ4Factory.safeInstance().fastCompressor();
        byte[] out = compressor.compress(data);
        byte[] block = new byte[4 + out.length];
        System.arraycopy(Lz4Frames.intLE(out.length), 0, block, 0, 4);
        System.arraycopy(out, 0, block, 4, out.length);
        return block;
    }

    @Test
    void headerIsKafkasWithTheCorrectChecksum() throws IOException {
        byte[] frame = KafkaInteropTest.compress(lz4, new byte[0]);
        byte[] expected = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG, Lz4Frames.BD_64KB, Lz4Frames.intLE(0));
        assertArrayEquals(expected, frame);
        assertEquals(11, frame.length);
    }

    @Test
    void incompressibleBlocksAreStored() throws IOException {
        byte[] input = TestInputs.random(1000, 1);
        byte[] frame = KafkaInteropTest.compress(lz4, input);
        int size = ByteBuffer.wrap(frame, 7, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0x80000000 | 1000, size);
        assertArrayEquals(input, Arrays.copyOfRange(frame, 11, 1011));
    }

    @Test
    void blocksHoldAtMost64KiB() throws IOException {
        byte[] input = TestInputs.random(3 * 65536 + 5, 2);
        byte[] frame = KafkaInteropTest.compress(lz4, input);
        // Four stored blocks: 3 full, one of 5 bytes; each with a 4-byte size, then the end mark.
        assertEquals(7 + 4 * 4 + input.length + 4, frame.length);
        assertArrayEquals(input, decompress(frame));
    }

    @Test
    void readsBlockAndContentChecksumsAndContentSize() throws IOException {
        byte[] data = TestInputs.records(5000, 4);
        byte[] block = compressedBlock(data);
        byte[] blockChecksum = Lz4Frames.intLE(Lz4Frames.xxhash32(Arrays.copyOfRange(block, 4, block.length)));
        byte[] frame = Lz4Frames.frame(
                Lz4Frames.DEFAULT_FLG | Lz4Frames.BLOCK_CHECKSUM | Lz4Frames.CONTENT_CHECKSUM | Lz4Frames.CONTENT_SIZE,
                Lz4Frames.BD_64KB, block, blockChecksum, Lz4Frames.intLE(0), Lz4Frames.intLE(Lz4Frames.xxhash32(data)));
        assertArrayEquals(data, decompress(frame));
    }

    @Test
    void badBlockChecksumIsCorrupt() {
        byte[] data = TestInputs.records(5000, 4);
        byte[] block = compressedBlock(data);
        int good = Lz4Frames.xxhash32(Arrays.copyOfRange(block, 4, block.length));
        byte[] frame = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG | Lz4Frames.BLOCK_CHECKSUM, Lz4Frames.BD_64KB,
                block, Lz4Frames.intLE(good + 1), Lz4Frames.intLE(0));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decompress(frame));
        assertTrue(e.getMessage().contains("block checksum"), e.getMessage());
    }

    @Test
    void badContentChecksumIsCorrupt() {
        byte[] data = TestInputs.records(5000, 4);
        byte[] frame = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG | Lz4Frames.CONTENT_CHECKSUM, Lz4Frames.BD_64KB,
                compressedBlock(data), Lz4Frames.intLE(0), Lz4Frames.intLE(Lz4Frames.xxhash32(data) ^ 1));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decompress(frame));
        assertTrue(e.getMessage().contains("content checksum"), e.getMessage());
    }

    /** Other producers (Go clients, for one) write frames with blocks of up to 4 MiB. */
    @Test
    void readsLargerDeclaredBlocks() throws IOException {
        byte[] data = TestInputs.records(1024 * 1024, 8);
        byte[] frame = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG, Lz4Frames.BD_4MB, compressedBlock(data), Lz4Frames.intLE(0));
        assertArrayEquals(data, decompress(frame));
    }

    @Test
    void badHeaderChecksumIsCorrupt() throws IOException {
        byte[] frame = KafkaInteropTest.compress(lz4, TestInputs.records(100, 1));
        frame[6] ^= 1;
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decompress(frame));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
    }

    /** Kafka before 0.10 hashed the magic too; such frames are rejected, as magic-2 batches never carry them. */
    @Test
    void preKafka010HeaderChecksumIsCorrupt() throws IOException {
        byte[] frame = KafkaInteropTest.compress(lz4, TestInputs.records(100, 1));
        frame[6] = (byte) Lz4Frames.headerChecksum(frame, 0, 6);
        assertThrows(CorruptDataException.class, () -> decompress(frame));
    }

    @Test
    void unsupportedDescriptorsAreCorrupt() {
        byte[] end = Lz4Frames.intLE(0);
        int[][] flgBd = {
            {0x20, Lz4Frames.BD_64KB},            // version 00
            {0xA0, Lz4Frames.BD_64KB},            // version 10
            {0x40, Lz4Frames.BD_64KB},            // linked blocks
            {0x61, Lz4Frames.BD_64KB},            // dictionary id
            {0x62, Lz4Frames.BD_64KB},            // reserved FLG bit
            {Lz4Frames.DEFAULT_FLG, 0x30},        // block size id 3
            {Lz4Frames.DEFAULT_FLG, 0x41},        // reserved BD bit
            {Lz4Frames.DEFAULT_FLG, 0xC0},        // reserved BD high bit
        };
        for (int[] descriptor : flgBd) {
            byte[] frame = Lz4Frames.frame(descriptor[0], descriptor[1], end);
            assertThrows(CorruptDataException.class, () -> decompress(frame),
                    () -> String.format("FLG 0x%02x BD 0x%02x", descriptor[0], descriptor[1]));
        }
    }

    @Test
    void corruptBlockDataIsCorrupt() {
        byte[] block = new byte[] {(byte) 0xF0, 1, 2, 3};   // literal run claiming 15+ bytes, cut short
        byte[] frame = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG, Lz4Frames.BD_64KB,
                Lz4Frames.intLE(block.length), block, Lz4Frames.intLE(0));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decompress(frame));
        assertTrue(e.getMessage().startsWith("Corrupt LZ4 block"), e.getMessage());
    }
}
