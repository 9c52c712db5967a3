package io.fjord.controller;

import io.fjord.api.ConfigException;
import io.fjord.common.errors.Errors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The topic-level configs Kafka knows (its {@code LogConfig}), with their types, defaults,
 * valid ranges and the broker properties that set their cluster-wide default (for example
 * {@code log.retention.hours} for {@code retention.ms}).
 *
 * <p>The static methods validate names and values as Kafka does, failing with {@link
 * Errors#INVALID_CONFIG} and a message naming the key, the value and the rule. An instance, made
 * by {@link #forBroker(Map)}, also knows the broker's settings and answers DescribeConfigs with
 * each value's {@link ConfigSource}.
 */
public final class TopicConfigs {

    /**
     * A broker property that sets a topic config's default, in the topic config's unit times {@code
     * factor}, with Kafka's default for that property (in its own unit; null where it has none).
     */
    private record Synonym(String brokerKey, long factor, String kafkaDefault) {
    }

    /** Checks a parsed value; returns why it is invalid, or null. */
    private interface Validator {
        String check(Object value);
    }

    private record Definition(String name, ConfigType type, String defaultValue, Validator validator,
                              List<Synonym> synonyms) {
    }

    private static final Pattern THROTTLED_REPLICA = Pattern.compile("[0-9]+:[0-9]+");

    private static final Map<String, Definition> DEFINITIONS;

    static {
        Map<String, Definition> d = new TreeMap<>();
        define(d, "cleanup.policy", ConfigType.LIST, "delete", validList("compact", "delete"), "log.cleanup.policy");
        define(d, "compression.gzip.level", ConfigType.INT, "-1", value -> {
            int level = (Integer) value;
            return level == -1 || (level >= 1 && level <= 9) ? null : "Value must be -1 (the default level) or between 1 and 9";
        }, "compression.gzip.level");
        define(d, "compression.lz4.level", ConfigType.INT, "9", between(1, 17), "compression.lz4.level");
        define(d, "compression.type", ConfigType.STRING, "producer",
                validString("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), "compression.type");
        define(d, "compression.zstd.level", ConfigType.INT, "3", between(-131072, 22), "compression.zstd.level");
        define(d, "delete.retention.ms", ConfigType.LONG, "86400000", atLeast(0), "log.cleaner.delete.retention.ms");
        define(d, "errors.deadletterqueue.group.enable", ConfigType.BOOLEAN, "false", null);
        define(d, "file.delete.delay.ms", ConfigType.LONG, "60000", atLeast(0), "log.segment.delete.delay.ms");
        define(d, "flush.messages", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(1), "log.flush.interval.messages");
        // log.flush.interval.ms has no default of its own in Kafka: it falls back to the scheduler's interval.
        d.put("flush.ms", new Definition("flush.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(0),
                List.of(new Synonym("log.flush.interval.ms", 1, null))));
        define(d, "follower.replication.throttled.replicas", ConfigType.LIST, "", TopicConfigs::throttledReplicas);
        define(d, "index.interval.bytes", ConfigType.INT, "4096", atLeast(0), "log.index.interval.bytes");
        define(d, "leader.replication.throttled.replicas", ConfigType.LIST, "", TopicConfigs::throttledReplicas);
        define(d, "local.retention.bytes", ConfigType.LONG, "-2", atLeast(-2), "log.local.retention.bytes");
        define(d, "local.retention.ms", ConfigType.LONG, "-2", atLeast(-2), "log.local.retention.ms");
        define(d, "max.compaction.lag.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(1),
                "log.cleaner.max.compaction.lag.ms");
        define(d, "max.decompressed.message.bytes", ConfigType.INT, Integer.toString(Integer.MAX_VALUE), atLeast(1));
        define(d, "max.message.bytes", ConfigType.INT, "1048588", atLeast(0), "message.max.bytes");
        define(d, "message.timestamp.after.max.ms", ConfigType.LONG, "3600000", atLeast(0),
                "log.message.timestamp.after.max.ms");
        define(d, "message.timestamp.before.max.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(0),
                "log.message.timestamp.before.max.ms");
        define(d, "message.timestamp.type", ConfigType.STRING, "CreateTime", validString("CreateTime", "LogAppendTime"),
                "log.message.timestamp.type");
        define(d, "min.cleanable.dirty.ratio", ConfigType.DOUBLE, "0.5", value -> {
            double ratio = (Double) value;
            if (ratio < 0) {
                return "Value must be at least 0";
            }
            return ratio > 1 ? "Value must be no more than 1" : null;
        }, "log.cleaner.min.cleanable.ratio");
        define(d, "min.compaction.lag.ms", ConfigType.LONG, "0", atLeast(0), "log.cleaner.min.compaction.lag.ms");
        define(d, "min.insync.replicas", ConfigType.INT, "1", atLeast(1), "min.insync.replicas");
        define(d, "preallocate", ConfigType.BOOLEAN, "false", null, "log.preallocate");
        define(d, "remote.copy.lag.bytes", ConfigType.LONG, "0", atLeast(-1));
        define(d, "remote.copy.lag.ms", ConfigType.LONG, "0", atLeast(-1));
        define(d, "remote.log.copy.disable", ConfigType.BOOLEAN, "false", null);
        define(d, "remote.log.delete.on.disable", ConfigType.BOOLEAN, "false", null);
        define(d, "remote.storage.enable", ConfigType.BOOLEAN, "false", null);
        define(d, "retention.bytes", ConfigType.LONG, "-1", null, "log.retention.bytes");
        d.put("retention.ms", new Definition("retention.ms", ConfigType.LONG, "604800000", atLeast(-1), List.of(
                new Synonym("log.retention.ms", 1, null), new Synonym("log.retention.minutes", 60_000L, null),
                new Synonym("log.retention.hours", 3_600_000L, "168"))));
        define(d, "segment.bytes", ConfigType.INT, "1073741824", atLeast(1024 * 1024), "log.segment.bytes");
        define(d, "segment.index.bytes", ConfigType.INT, "10485760", atLeast(4), "log.index.size.max.bytes");
        d.put("segment.jitter.ms", new Definition("segment.jitter.ms", ConfigType.LONG, "0", atLeast(0), List.of(
                new Synonym("log.roll.jitter.ms", 1, null), new Synonym("log.roll.jitter.hours", 3_600_000L, "0"))));
        d.put("segment.ms", new Definition("segment.ms", ConfigType.LONG, "604800000", atLeast(1), List.of(
                new Synonym("log.roll.ms", 1, null), new Synonym("log.roll.hours", 3_600_000L, "168"))));
        define(d, "unclean.leader.election.enable", ConfigType.BOOLEAN, "false", null, "unclean.leader.election.enable");
        DEFINITIONS = Collections.unmodifiableMap(d);
    }

    /** A config whose broker properties (if any) share its unit and default. */
    private static void define(Map<String, Definition> d, String name, ConfigType type, String defaultValue,
                               Validator validator, String... brokerKeys) {
        List<Synonym> synonyms = new ArrayList<>();
        for (String key : brokerKeys) {
            synonyms.add(new Synonym(key, 1, defaultValue));
        }
        d.put(name, new Definition(name, type, defaultValue, validator, List.copyOf(synonyms)));
    }

    /** One layer of broker settings, in the order they apply: dynamic per broker, dynamic default, static. */
    private record Layer(Map<String, String> settings, ConfigSource source) {
    }

    private static final System.Logger LOG = System.getLogger(TopicConfigs.class.getName());

    private final Map<String, ConfigEntry> brokerDefaults;
    private final List<Layer> layers;

    private TopicConfigs(Map<String, ConfigEntry> brokerDefaults, List<Layer> layers) {
        this.brokerDefaults = brokerDefaults;
        this.layers = layers;
    }

    /**
     * The topic config defaults of a broker with the given {@code server.properties} and no dynamic
     * settings: a topic config the broker sets (under its broker name) takes the broker's value,
     * the rest take Kafka's defaults.
     *
     * @throws ConfigException if a broker value is malformed or out of range
     */
    public static TopicConfigs forBroker(Map<String, String> brokerConfig) {
        return forBroker(brokerConfig, Map.of(), Map.of());
    }

    /**
     * The topic config defaults of a broker with static settings and dynamic ones: for each
     * topic config the first of its broker names set in the broker's own dynamic settings, else
     * in the cluster-wide dynamic defaults, else in {@code server.properties}, else Kafka's
     * default. A dynamic value that does not fit the topic config's rules (stored by an older or
     * laxer broker) is skipped with a warning, as Kafka ignores it.
     *
     * @throws ConfigException if a static value is malformed or out of range
     */
    public static TopicConfigs forBroker(Map<String, String> staticConfig, Map<String, String> dynamicDefault,
                                         Map<String, String> dynamicBroker) {
        List<Layer> layers = List.of(new Layer(Map.copyOf(dynamicBroker), ConfigSource.DYNAMIC_BROKER_CONFIG),
                new Layer(Map.copyOf(dynamicDefault), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                new Layer(Map.copyOf(staticConfig), ConfigSource.STATIC_BROKER_CONFIG));
        Map<String, ConfigEntry> defaults = new LinkedHashMap<>();
        for (Definition def : DEFINITIONS.values()) {
            defaults.put(def.name, brokerDefault(def, layers));
        }
        return new TopicConfigs(Collections.unmodifiableMap(defaults), layers);
    }

    private static ConfigEntry brokerDefault(Definition def, List<Layer> layers) {
        for (Layer layer : layers) {
            for (Synonym synonym : def.synonyms) {
                String raw = layer.settings.get(synonym.brokerKey);
                if (raw == null) {
                    continue;
                }
                String problem = brokerValueProblem(def, synonym, raw);
                if (problem == null) {
                    return entry(def, inTopicUnit(synonym, raw), layer.source);
                }
                if (layer.source == ConfigSource.STATIC_BROKER_CONFIG) {
                    throw new ConfigException(synonym.brokerKey, raw, problem);
                }
                LOG.log(System.Logger.Level.WARNING, "Ignoring the " + layer.source + " " + synonym.brokerKey + "="
                        + raw + ": " + problem);
            }
        }
        return entry(def, def.defaultValue, ConfigSource.DEFAULT_CONFIG);
    }

    /** The value of a broker setting in its topic config's unit; the value must be valid. */
    private static String inTopicUnit(Synonym synonym, String raw) {
        String value = raw.trim();
        return synonym.factor == 1 ? value : Long.toString(Long.parseLong(value) * synonym.factor);
    }

    private static String brokerValueProblem(Definition def, Synonym synonym, String raw) {
        if (synonym.factor == 1) {
            return problem(def, raw);
        }
        try {
            return problem(def, Long.toString(Math.multiplyExact(Long.parseLong(raw.trim()), synonym.factor)));
        } catch (NumberFormatException | ArithmeticException e) {
            return "a whole number that fits a long in milliseconds";
        }
    }

    /**
     * Why a value of a broker setting that is a topic config's default (such as {@code
     * log.retention.ms} or {@code message.max.bytes}) breaks that config's rules, or null when it
     * is valid or the setting is no topic config's default.
     */
    public static String brokerSettingProblem(String brokerKey, String value) {
        for (Definition def : DEFINITIONS.values()) {
            for (Synonym synonym : def.synonyms) {
                if (synonym.brokerKey.equals(brokerKey)) {
                    return brokerValueProblem(def, synonym, value);
                }
            }
        }
        return null;
    }

    private static ConfigEntry entry(Definition def, String value, ConfigSource source) {
        return new ConfigEntry(def.name, value, source, def.type, List.of());
    }

    /** Every topic config name Kafka knows, sorted. */
    public static Set<String> names() {
        return DEFINITIONS.keySet();
    }

    /** Whether Kafka knows a topic config of that name. */
    public static boolean isKnown(String name) {
        return DEFINITIONS.containsKey(name);
    }

    /** Whether the config is a comma-separated list (the only kind APPEND and SUBTRACT apply to). */
    public static boolean isList(String name) {
        Definition def = DEFINITIONS.get(name);
        return def != null && def.type == ConfigType.LIST;
    }

    /** Kafka's built-in default of the config, as a string. */
    public static String kafkaDefault(String name) {
        Definition def = DEFINITIONS.get(name);
        if (def == null) {
            throw new IllegalArgumentException("Unknown topic config name: " + name);
        }
        return def.defaultValue;
    }

    /**
     * Checks one config: the name is known, the value is non-null, parses as the config's type and
     * lies in its range.
     *
     * @throws MetadataException with {@link Errors#INVALID_CONFIG}
     */
    public static void validate(String name, String value) {
        Definition def = DEFINITIONS.get(name);
        if (def == null) {
            throw new MetadataException(Errors.INVALID_CONFIG, "Unknown topic config name: " + name);
        }
        if (value == null) {
            throw new MetadataException(Errors.INVALID_CONFIG, "Null value not supported for topic configs: " + name);
        }
        String problem = problem(def, value);
        if (problem != null) {
            throw new MetadataException(Errors.INVALID_CONFIG,
                    "Invalid value " + value + " for configuration " + name + ": " + problem);
        }
    }

    /**
     * Checks a whole set of overrides: each one by {@link #validate(String, String)}, then the
     * rules that involve two configs, using the broker defaults for configs not overridden.
     *
     * @throws MetadataException with {@link Errors#INVALID_CONFIG}
     */
    public void validateAll(Map<String, String> overrides) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            validate(e.getKey(), e.getValue());
        }
        long minLag = Long.parseLong(effective("min.compaction.lag.ms", overrides).trim());
        long maxLag = Long.parseLong(effective("max.compaction.lag.ms", overrides).trim());
        if (minLag > maxLag) {
            throw new MetadataException(Errors.INVALID_CONFIG, "conflict topic config setting min.compaction.lag.ms ("
                    + minLag + ") > max.compaction.lag.ms (" + maxLag + ")");
        }
    }

    private String effective(String name, Map<String, String> overrides) {
        String value = overrides.get(name);
        return value != null ? value : brokerDefaults.get(name).value();
    }

    /**
     * Every topic config with its effective value, source and synonyms, sorted by name, as
     * DescribeConfigs reports them for a topic with the given overrides. The synonyms are the
     * topic's override, then the broker properties set for it (dynamic per broker, dynamic default,
     * static), then the properties' Kafka defaults, each under its own name and in its own unit; the source is the first synonym's. (Kafka leaves
     * out broker settings other than the first-named property, so that for a broker with {@code
     * log.retention.hours} set it reports {@code retention.ms} as a default without synonyms; every
     * setting is listed here.)
     */
    public List<ConfigEntry> describe(Map<String, String> overrides) {
        List<ConfigEntry> entries = new ArrayList<>(brokerDefaults.size());
        for (ConfigEntry brokerDefault : brokerDefaults.values()) {
            Definition def = DEFINITIONS.get(brokerDefault.name());
            String override = overrides.get(def.name);
            List<ConfigSynonym> synonyms = new ArrayList<>();
            if (override != null) {
                synonyms.add(new ConfigSynonym(def.name, override, ConfigSource.DYNAMIC_TOPIC_CONFIG));
            }
            for (Layer layer : layers) {
                for (Synonym synonym : def.synonyms) {
                    String raw = layer.settings.get(synonym.brokerKey);
                    if (raw != null) {
                        synonyms.add(new ConfigSynonym(synonym.brokerKey, raw.trim(), layer.source));
                    }
                }
            }
            for (Synonym synonym : def.synonyms) {
                if (synonym.kafkaDefault != null) {
                    synonyms.add(new ConfigSynonym(synonym.brokerKey, synonym.kafkaDefault, ConfigSource.DEFAULT_CONFIG));
                }
            }
            ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
            entries.add(new ConfigEntry(def.name, override != null ? override : brokerDefault.value(), source,
                    def.type, synonyms));
        }
        return entries;
    }

    /** The default a topic without an override gets on this broker, with its source. */
    public ConfigEntry brokerDefault(String name) {
        ConfigEntry entry = brokerDefaults.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("Unknown topic config name: " + name);
        }
        return entry;
    }

    /** Splits a list config's value as Kafka does: trimmed, comma-separated, empty string is the empty list. */
    public static List<String> parseList(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(trimmed.split("\\s*,\\s*", -1));
    }

    private static String problem(Definition def, String value) {
        Object parsed;
        String trimmed = value.trim();
        try {
            switch (def.type) {
                case BOOLEAN -> {
                    if (trimmed.equalsIgnoreCase("true")) {
                        parsed = Boolean.TRUE;
                    } else if (trimmed.equalsIgnoreCase("false")) {
                        parsed = Boolean.FALSE;
                    } else {
                        return "Expected value to be either true or false";
                    }
                }
                case INT -> parsed = Integer.parseInt(trimmed);
                case LONG -> parsed = Long.parseLong(trimmed);
                case DOUBLE -> {
                    double d = Double.parseDouble(trimmed);
                    if (Double.isNaN(d)) {
                        return "Not a number of type DOUBLE";
                    }
                    parsed = d;
                }
                case STRING -> parsed = trimmed;
                case LIST -> parsed = parseList(trimmed);
                default -> throw new IllegalStateException("unhandled type " + def.type);
            }
        } catch (NumberFormatException e) {
            return "Not a number of type " + def.type;
        }
        return def.validator == null ? null : def.validator.check(parsed);
    }

    private static Validator atLeast(long min) {
        return value -> ((Number) value).longValue() >= min ? null : "Value must be at least " + min;
    }

    private static Validator between(long min, long max) {
        return value -> {
            long v = ((Number) value).longValue();
            if (v < min) {
                return "Value must be at least " + min;
            }
            return v > max ? "Value must be no more than " + max : null;
        };
    }

    private static Validator validString(String... allowed) {
        List<String> list = List.of(allowed);
        return value -> list.contains(value) ? null : "String must be one of: " + String.join(", ", list);
    }

    private static Validator validList(String... allowed) {
        List<String> list = List.of(allowed);
        return value -> {
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) value;
            if (items.isEmpty()) {
                return "Empty list not allowed; must be one or more of: " + String.join(", ", list);
            }
            for (String item : items) {
                if (!list.contains(item)) {
                    return "Invalid item " + item + "; must be one of: " + String.join(", ", list);
                }
            }
            return items.size() == Set.copyOf(items).size() ? null : "Duplicate items are not allowed";
        };
    }

    private static String throttledReplicas(Object value) {
        @SuppressWarnings("unchecked")
        List<String> items = (List<String>) value;
        if (items.size() == 1 && items.get(0).equals("*")) {
            return null;
        }
        for (String item : items) {
            if (!THROTTLED_REPLICA.matcher(item).matches()) {
                return "must be the literal '*' or a list of replicas in the following format: "
                        + "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
            }
        }
        return null;
    }
}
