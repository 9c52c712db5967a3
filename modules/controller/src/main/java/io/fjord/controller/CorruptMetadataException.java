package io.fjord.controller;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A metadata file in the log dir that cannot be trusted: truncated, a CRC that does not match,
 * an unknown format version or a field that points past the end. The store refuses to start
 * rather than start empty, because an empty start would forget every topic.
 */
public class CorruptMetadataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptMetadataException(Path file, String reason) {
        super("Corrupt metadata file " + file + ": " + reason
                + ". Refusing to start with an empty or partial topic list; restore the file from a backup"
                + " or remove it deliberately to forget every topic.");
        this.file = file;
    }

    /** The file that failed the checks. */
    public Path file() {
        return file;
    }
}
