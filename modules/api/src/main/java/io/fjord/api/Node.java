package io.fjord.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A broker as clients see it.
 *
 * @param id the broker id ({@code node.id})
 * @param host the advertised host
 * @param port the advertised port
 * @param rack the rack ({@code broker.rack}), if configured
 */
public record Node(int id, String host, int port, Optional<String> rack) {

    public Node {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rack, "rack");
    }

    public Node(int id, String host, int port) {
        this(id, host, port, Optional.empty());
    }

    @Override
    public String toString() {
        return host + ":" + port + " (id: " + id + rack.map(r -> " rack: " + r).orElse("") + ")";
    }
}
