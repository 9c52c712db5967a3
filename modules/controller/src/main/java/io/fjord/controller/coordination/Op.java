package io.fjord.controller.coordination;

/**
 * One step of an atomic multi-write ({@link CoordinationSession#write}). A version of
 * {@link #ANY_VERSION} skips the version check.
 */
public sealed interface Op {

    /** Matches whatever version an entry has. */
    int ANY_VERSION = -1;

    /** The path this step works on. */
    String path();

    /**
     * Creates a persistent entry; fails the write if it exists. Missing parents are created
     * (empty, persistent) within the same atomic write, so one write can create a topic and the
     * states of its partitions below it.
     */
    record Create(String path, byte[] data) implements Op {
    }

    /** Replaces an entry's data if its version is {@code expectedVersion}. */
    record SetData(String path, byte[] data, int expectedVersion) implements Op {
    }

    /** Deletes an entry (which must have no children) if its version is {@code expectedVersion}. */
    record Delete(String path, int expectedVersion) implements Op {
    }

    /** Writes nothing; fails the write unless the entry exists with version {@code expectedVersion}. */
    record Check(String path, int expectedVersion) implements Op {
    }
}
