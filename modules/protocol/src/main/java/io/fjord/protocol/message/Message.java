package io.fjord.protocol.message;

import io.fjord.protocol.types.RawTaggedField;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.util.List;

/**
 * A message generated from a spec, or a struct inside one: read from and written to the wire at
 * any version it declares. Fields a version does not carry hold their defaults; tagged fields the
 * message does not know are kept and written back.
 *
 * <p>Not thread-safe: a message is built or read by one thread at a time.
 */
public interface Message {

    /**
     * Replaces every field with what {@code in} holds at {@code version}; malformed input throws the
     * reader's {@link io.fjord.protocol.errors.ProtocolException}.
     */
    void read(WireReader in, short version);

    /**
     * Writes the message at {@code version}. A null where the version does not allow one is a
     * programming error ({@link IllegalArgumentException}).
     */
    void write(WireWriter out, short version);

    /** The tagged fields read that the message does not know, in the order read; mutable. */
    List<RawTaggedField> unknownTaggedFields();
}
