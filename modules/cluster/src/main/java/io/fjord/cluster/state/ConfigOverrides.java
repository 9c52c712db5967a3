package io.fjord.cluster.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An entity's config overrides as stored at {@code /config/topics/<t>} or
 * {@code /config/brokers/<id>} (Kafka's JSON: {@code {"version":1,"config":{...}}}), and the change
 * notification that tells every broker to re-read one ({@code {"version":2,"entity_path":"topics/t"}}).
 */
public final class ConfigOverrides {

    private ConfigOverrides() {
    }

    public static byte[] toJson(Map<String, String> configs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("config", new TreeMap<>(configs));
        return StoredJson.write(m);
    }

    public static Map<String, String> fromJson(byte[] data, String path) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : StoredJson.mapField(StoredJson.read(data, path), "config", path).entrySet()) {
            out.put(e.getKey(), String.valueOf(e.getValue()));
        }
        return out;
    }

    /** The notification for a change of {@code entityPath} ({@code topics/<t>} or {@code brokers/<id>}). */
    public static byte[] changeNotification(String entityPath) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 2);
        m.put("entity_path", entityPath);
        return StoredJson.write(m);
    }

    /** A change notification's fields ({@code entity_path}). */
    public static Map<String, String> notificationOf(byte[] data, String path) {
        Map<String, String> out = new TreeMap<>();
        StoredJson.read(data, path).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
