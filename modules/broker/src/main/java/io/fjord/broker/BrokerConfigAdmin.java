package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.controller.AlterConfigOp;
import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ConfigType;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * DescribeConfigs, IncrementalAlterConfigs and AlterConfigs for BROKER resources: this broker
 * (its id as the resource name) or the cluster-wide default (the empty name). A change is checked
 * by {@link DynamicConfigValidator} against the settings as they would be, then committed to the
 * metadata store, whose listener applies it; {@code validateOnly} stops after the check.
 *
 * <p>Invariant: the dynamic settings in the store passed the validator when they were written.
 */
final class BrokerConfigAdmin {

    private final MetadataStore store;
    private final Map<String, String> staticSettings;
    private final int nodeId;
    private final DynamicConfigValidator validator;

    BrokerConfigAdmin(MetadataStore store, Map<String, String> staticSettings, int nodeId, BrokerCodecs codecs) {
        this.store = store;
        this.staticSettings = Map.copyOf(staticSettings);
        this.nodeId = nodeId;
        this.validator = new DynamicConfigValidator(codecs);
    }

    /** This broker's settings in their layers, as the metadata holds them now. */
    BrokerConfigLayers layers() {
        return BrokerConfigLayers.of(staticSettings, store.image().brokerConfigs(), nodeId);
    }

    /**
     * This broker's settings, or only the cluster-wide dynamic defaults for the empty name.
     *
     * @throws MetadataException with INVALID_REQUEST for another broker or a name that is no id
     */
    List<ConfigEntry> describe(String resourceName, Collection<String> keys) {
        if (resourceName == null || resourceName.isEmpty()) {
            return layers().describeDefault(keys);
        }
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Broker id must be an integer, but it is: " + resourceName);
        }
        if (id != nodeId) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId
                    + " or empty string, but received " + resourceName);
        }
        return layers().describeBroker(keys);
    }

    /**
     * Applies SET, DELETE, APPEND and SUBTRACT to the dynamic settings of the resource, all or
     * nothing.
     *
     * @throws MetadataException with INVALID_REQUEST (INVALID_CONFIG for APPEND or SUBTRACT of a name
     *                           Kafka does not define), or KAFKA_STORAGE_ERROR
     */
    void incrementalAlter(String resourceName, List<AlterConfigOp> ops, boolean validateOnly) {
        Set<String> keys = new HashSet<>();
        List<String> nulls = new ArrayList<>();
        for (AlterConfigOp op : ops) {
            if (!keys.add(op.key())) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
            if (op.type() != AlterConfigOp.Type.DELETE && op.value() == null) {
                nulls.add(op.key());
            }
        }
        refuseNulls(nulls);
        OptionalInt target = target(resourceName);
        Map<String, String> current = store.brokerConfigs(target);
        Map<String, String> proposed = new HashMap<>(current);
        for (AlterConfigOp op : ops) {
            String key = op.key();
            switch (op.type()) {
                case SET -> proposed.put(key, op.value());
                case DELETE -> proposed.remove(key);
                case APPEND, SUBTRACT -> proposed.put(key, listChange(op, proposed.get(key)));
                default -> throw new IllegalStateException("unhandled operation " + op.type());
            }
        }
        commit(target, current, proposed, validateOnly);
    }

    /** The legacy AlterConfigs: {@code configs} become the resource's whole set of dynamic settings. */
    void alter(String resourceName, Map<String, String> configs, boolean validateOnly) {
        List<String> nulls = new ArrayList<>();
        configs.forEach((key, value) -> {
            if (value == null) {
                nulls.add(key);
            }
        });
        refuseNulls(nulls);
        OptionalInt target = target(resourceName);
        commit(target, store.brokerConfigs(target), configs, validateOnly);
    }

    private void commit(OptionalInt target, Map<String, String> current, Map<String, String> proposed,
                        boolean validateOnly) {
        validator.validate(layers(), target, proposed);
        if (validateOnly) {
            return;
        }
        Map<String, String> changes = new HashMap<>(proposed);
        for (String key : current.keySet()) {
            if (!proposed.containsKey(key)) {
                changes.put(key, null);
            }
        }
        store.alterBrokerConfigs(target, changes);
    }

    private static void refuseNulls(List<String> keys) {
        if (!keys.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", keys));
        }
    }

    /** The broker the name stands for: this one, or the cluster-wide default (empty) for the empty name. */
    private OptionalInt target(String resourceName) {
        if (resourceName == null || resourceName.isEmpty()) {
            return OptionalInt.empty();
        }
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: " + resourceName);
        }
        if (id != nodeId) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId
                    + ", but received " + resourceName);
        }
        return OptionalInt.of(id);
    }

    /** A list setting after APPEND or SUBTRACT, starting from the resource's value or Kafka's default. */
    private static String listChange(AlterConfigOp op, String present) {
        BrokerConfigs.Definition def = BrokerConfigs.definition(op.key());
        if (def == null) {
            throw new MetadataException(Errors.INVALID_CONFIG, "Unknown config name: " + op.key());
        }
        boolean append = op.type() == AlterConfigOp.Type.APPEND;
        if (def.type() != ConfigType.LIST) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Config value " + (append ? "append" : "subtract")
                    + " is not allowed for config key: " + op.key());
        }
        String start = present != null ? present : def.kafkaDefault() != null ? def.kafkaDefault() : "";
        List<String> items = new ArrayList<>(start.isEmpty() ? List.of() : List.of(start.split(",")));
        for (String operand : op.value().split(",")) {
            if (append && !items.contains(operand)) {
                items.add(operand);
            } else if (!append) {
                items.remove(operand);
            }
        }
        return String.join(",", items);
    }
}
