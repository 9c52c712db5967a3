package io.fjord.build.messages;

import java.util.List;

/**
 * One spec file: a request, a response, or a data record (such as a record of an internal topic).
 *
 * @param kind what the message is
 * @param apiKey the API key of a request or response; -1 for data
 * @param versions every version the message is read and written in
 * @param flexibleVersions the versions with compact encodings and tagged fields (KIP-482)
 * @param about what the message is for
 * @param history one line per version (or range) saying what it changed
 * @param root the top-level struct, named like the message
 * @param nested every nested struct, each named once per message
 */
record MessageSpec(Kind kind, short apiKey, Versions versions, Versions flexibleVersions, String about,
        List<String> history, StructSpec root, List<StructSpec> nested) {

    enum Kind {
        REQUEST, RESPONSE, DATA
    }

    String name() {
        return root.name();
    }

    /** The first flexible version, or {@code Short.MAX_VALUE} if none is. */
    short firstFlexibleVersion() {
        return flexibleVersions.isEmpty() ? Short.MAX_VALUE : flexibleVersions.lowest();
    }
}
