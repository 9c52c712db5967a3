package io.fjord.protocol.message;

/** The body of a request or a response of one API, with the versions its class reads and writes. */
public interface ApiMessage extends Message {

    /** The API key on the wire. */
    short apiKey();

    /** The lowest version the class reads and writes. */
    short lowestVersion();

    /** The highest version the class reads and writes. */
    short highestVersion();

    /** The first version with compact encodings and tagged fields; {@code Short.MAX_VALUE} if none. */
    short firstFlexibleVersion();
}
