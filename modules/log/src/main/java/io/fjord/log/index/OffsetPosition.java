package io.fjord.log.index;

/**
 * An offset-index entry resolved to absolute values.
 *
 * @param offset an absolute offset
 * @param position the byte position in the segment's {@code .log} file of the batch holding it
 */
public record OffsetPosition(long offset, int position) {
}
