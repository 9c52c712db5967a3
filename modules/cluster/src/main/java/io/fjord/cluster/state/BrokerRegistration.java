package io.fjord.cluster.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A live broker as registered at {@code /brokers/ids/<id>} (Kafka's JSON, version 5: one
 * PLAINTEXT endpoint, an optional rack).
 *
 * @param id    the broker's {@code node.id}
 * @param epoch the broker epoch: the creation stamp of the registration (not part of the JSON)
 * @param host  the advertised host
 * @param port  the advertised port
 * @param rack  {@code broker.rack}, or null
 */
public record BrokerRegistration(int id, long epoch, String host, int port, String rack) {

    private static final String LISTENER = "PLAINTEXT";

    public byte[] toJson(long timestampMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("features", Map.of());
        m.put("listener_security_protocol_map", Map.of(LISTENER, LISTENER));
        m.put("endpoints", List.of(LISTENER + "://" + host + ":" + port));
        m.put("jmx_port", -1);
        m.put("port", port);
        m.put("host", host);
        m.put("version", 5);
        m.put("timestamp", Long.toString(timestampMs));
        if (rack != null) {
            m.put("rack", rack);
        }
        return StoredJson.write(m);
    }

    public static BrokerRegistration fromJson(int id, long epoch, byte[] data, String path) {
        Map<String, Object> m = StoredJson.read(data, path);
        Object rack = m.get("rack");
        return new BrokerRegistration(id, epoch, StoredJson.stringField(m, "host", path),
                StoredJson.intField(m, "port", path), rack == null ? null : rack.toString());
    }
}
