package io.fjord.coordinator;

/**
 * One protocol a member supports in a JoinGroup request (for a consumer: an assignor name and
 * its subscription bytes).
 *
 * <p>Ownership: {@code metadata} is the coordinator's own copy, never a view of a request buffer.
 */
public record JoinProtocol(String name, byte[] metadata) {
}
