package io.fjord.build.messages;

import java.nio.file.Path;

/** A spec file that cannot be generated from, with the file and the reason. */
final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SpecException(Path file, String message) {
        super(file.getFileName() + ": " + message);
    }
}
