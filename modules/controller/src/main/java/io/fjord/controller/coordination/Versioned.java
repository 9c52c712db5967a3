package io.fjord.controller.coordination;

/**
 * An entry's data with the numbers that make conditional writes possible.
 *
 * @param data          the bytes stored (never null; may be empty)
 * @param version       the number of changes to this entry's data since it was created; a
 *                      conditional write names the version it expects
 * @param creationStamp a number that grows with every creation anywhere in the store, so a
 *                      re-created entry always has a larger one (a broker's epoch is the stamp of
 *                      its registration)
 */
public record Versioned(byte[] data, int version, long creationStamp) {
}
