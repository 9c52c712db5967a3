package io.fjord.protocol.types;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Size-prefixed framing: every request and response is an INT32 size followed by that many bytes.
 */
public final class Frames {
    /** Bytes of the size prefix. */
    public static final int SIZE_PREFIX_BYTES = 4;

    private Frames() {
    }

    /**
     * Takes the next complete frame from {@code in}: returns its body as a slice (sharing {@code
     * in}'s memory) and advances {@code in} past it, or returns {@code null} and leaves {@code in}
     * unchanged if the frame has not fully arrived yet. A negative size or one above {@code
     * maxFrameSize} is an {@link Errors#INVALID_REQUEST}, found as soon as the prefix is there.
     */
    public static ByteBuffer readFrame(ByteBuffer in, int maxFrameSize) {
        if (in.remaining() < SIZE_PREFIX_BYTES) {
            return null;
        }
        int start = in.position();
        int size = in.getInt(start);
        if (size < 0 || size > maxFrameSize) {
            throw new ProtocolException(Errors.INVALID_REQUEST,
                    "frame size " + size + " outside 0.." + maxFrameSize);
        }
        if (in.remaining() - SIZE_PREFIX_BYTES < size) {
            return null;
        }
        ByteBuffer body = in.slice(start + SIZE_PREFIX_BYTES, size);
        in.position(start + SIZE_PREFIX_BYTES + size);
        return body;
    }

    /**
     * Like {@link #readFrame} for a buffer that must hold exactly one whole frame: a truncated or
     * over-long buffer is an {@link Errors#INVALID_REQUEST}.
     */
    public static ByteBuffer readWholeFrame(ByteBuffer in, int maxFrameSize) {
        int available = in.remaining();
        ByteBuffer body = readFrame(in, maxFrameSize);
        if (body == null) {
            throw new ProtocolException(Errors.INVALID_REQUEST,
                    "truncated frame: " + available + " bytes present");
        }
        if (in.hasRemaining()) {
            throw new ProtocolException(Errors.INVALID_REQUEST,
                    in.remaining() + " bytes after the end of the frame");
        }
        return body;
    }
}
