package io.fjord.controller;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Kafka's textual form of ids: a 16-byte UUID in base64url without padding, 22 characters
 * (Kafka's {@code Uuid.toString}). Cluster ids and topic ids are both written this way.
 */
public final class ClusterIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterIds() {
    }

    /**
     * A new random id. Never the zero UUID, never 1 (Kafka's reserved metadata topic id) and never
     * starting with '-' in text, since Kafka's command-line tools would read that as an option.
     */
    public static UUID randomId() {
        while (true) {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            UUID id = new UUID(buffer.getLong(), buffer.getLong());
            boolean reserved = id.getMostSignificantBits() == 0
                    && (id.getLeastSignificantBits() == 0 || id.getLeastSignificantBits() == 1);
            if (!reserved && !toString(id).startsWith("-")) {
                return id;
            }
        }
    }

    /** The 22-character base64url text of the id. */
    public static String toString(UUID id) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /**
     * Parses the 22-character base64url text.
     *
     * @throws IllegalArgumentException if the text is not 22 characters of base64url for 16 bytes
     */
    public static UUID fromString(String text) {
        if (text.length() != 22) {
            throw new IllegalArgumentException("an id is 22 characters of base64url, got " + text.length()
                    + " characters: " + text);
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** Whether the text is a well-formed id. */
    public static boolean isValid(String text) {
        try {
            fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
