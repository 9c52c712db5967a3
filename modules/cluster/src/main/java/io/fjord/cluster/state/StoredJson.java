package io.fjord.cluster.state;

import com.fasterxml.jackson.jr.ob.JSON;
import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out of the coordination store, with one typed failure for bad stored data: a store
 * entry that does not parse is corrupt cluster state, never a crash of the thread that read it.
 */
final class StoredJson {

    private static final JSON MAPPER = JSON.std;

    private StoredJson() {
    }

    static byte[] write(Map<String, Object> value) {
        try {
            return MAPPER.asBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("JSON of plain maps cannot fail to write", e);
        }
    }

    static Map<String, Object> read(byte[] data, String what) {
        try {
            Map<String, Object> map = MAPPER.mapFrom(new String(data, StandardCharsets.UTF_8));
            if (map == null) {
                throw corrupt(what, "empty");
            }
            return map;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MetadataException m) {
                throw m;
            }
            throw corrupt(what, e.getMessage());
        }
    }

    static int intField(Map<String, Object> map, String key, String what) {
        Object v = map.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw corrupt(what, key + " is not a number: " + s);
            }
        }
        throw corrupt(what, "missing " + key);
    }

    static int intField(Map<String, Object> map, String key, int fallback, String what) {
        return map.containsKey(key) ? intField(map, key, what) : fallback;
    }

    static String stringField(Map<String, Object> map, String key, String what) {
        Object v = map.get(key);
        if (v == null) {
            throw corrupt(what, "missing " + key);
        }
        return v.toString();
    }

    static List<Integer> intList(Object value, String what) {
        if (!(value instanceof List<?> list)) {
            throw corrupt(what, "not a list: " + value);
        }
        List<Integer> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Number n)) {
                throw corrupt(what, "not a broker id: " + o);
            }
            out.add(n.intValue());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapField(Map<String, Object> map, String key, String what) {
        Object v = map.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw corrupt(what, key + " is not an object");
        }
        return (Map<String, Object>) v;
    }

    static MetadataException corrupt(String what, String detail) {
        return new MetadataException(Errors.UNKNOWN_SERVER_ERROR, "Corrupt cluster state in " + what + ": " + detail);
    }
}
