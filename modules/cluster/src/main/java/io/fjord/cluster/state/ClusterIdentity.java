package io.fjord.cluster.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** The cluster id as stored at {@code /cluster/id} (Kafka's JSON: {@code {"version":"1","id":"..."}}). */
public final class ClusterIdentity {

    private ClusterIdentity() {
    }

    public static byte[] toJson(String clusterId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "1");
        m.put("id", clusterId);
        return StoredJson.write(m);
    }

    public static String fromJson(byte[] data, String path) {
        return StoredJson.stringField(StoredJson.read(data, path), "id", path);
    }
}
