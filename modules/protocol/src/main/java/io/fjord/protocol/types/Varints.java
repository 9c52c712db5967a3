package io.fjord.protocol.types;

/** Sizes of LEB128 varints, for computing lengths before writing. */
public final class Varints {
    private Varints() {
    }

    /** Bytes taken by {@code value} as an unsigned varint (1 to 5). */
    public static int sizeOfUnsignedVarint(int value) {
        int leadingZeros = Integer.numberOfLeadingZeros(value);
        return Math.max(1, (38 - leadingZeros) / 7);
    }

    /** Bytes taken by {@code value} as an unsigned varlong (1 to 10). */
    public static int sizeOfUnsignedVarlong(long value) {
        int leadingZeros = Long.numberOfLeadingZeros(value);
        return Math.max(1, (70 - leadingZeros) / 7);
    }

    /** Bytes taken by {@code value} as a zigzag varint. */
    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    /** Bytes taken by {@code value} as a zigzag varlong. */
    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }
}
