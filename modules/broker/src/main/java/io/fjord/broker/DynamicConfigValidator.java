package io.fjord.broker;

import io.fjord.api.ConfigException;
import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataException;
import io.fjord.controller.TopicConfigs;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a new set of dynamic settings for one broker or the cluster-wide default before it is
 * committed, with the rules and messages of Kafka's broker (which checks BROKER resources itself
 * before a change reaches the controller): only dynamic settings; the listener settings only per
 * broker; each value of its type and range; the merged settings a valid broker configuration;
 * thread counts changed by at most half or double. Names Kafka does not define are accepted, as
 * Kafka accepts them for plugins, and described as sensitive.
 *
 * <p>Every refusal is INVALID_REQUEST, the code Kafka answers for a BROKER resource whatever the
 * reason.
 */
final class DynamicConfigValidator {

    /** Thread pools Kafka resizes in place, so a change is bounded by the current size. */
    private static final Set<String> THREAD_COUNTS = Set.of("num.io.threads", "num.network.threads",
            "num.replica.fetchers", "num.recovery.threads.per.data.dir", "background.threads");
    private static final String CLEANER_THREADS = "log.cleaner.threads";

    private final BrokerCodecs codecs;

    DynamicConfigValidator(BrokerCodecs codecs) {
        this.codecs = codecs;
    }

    /**
     * Checks that {@code proposed} may become the dynamic settings of {@code target} (empty: the
     * cluster-wide default) of a broker whose settings are {@code current} now.
     *
     * @throws MetadataException with INVALID_REQUEST and Kafka's message
     */
    void validate(BrokerConfigLayers current, OptionalInt target, Map<String, String> proposed) {
        Set<String> readOnly = new TreeSet<>();
        Set<String> perBrokerOnly = new TreeSet<>();
        for (String key : proposed.keySet()) {
            BrokerConfigs.Definition def = BrokerConfigs.definition(key);
            if (def == null ? key.startsWith("fjord.") : !def.dynamic()) {
                readOnly.add(key);
            } else if (def != null && def.update() == BrokerConfigs.Update.PER_BROKER) {
                perBrokerOnly.add(key);
            }
        }
        refuseIfAny(readOnly, "Cannot update these configs dynamically");
        proposed.forEach(DynamicConfigValidator::checkValue);
        if (target.isEmpty()) {
            refuseIfAny(perBrokerOnly, "Cannot update these configs at default cluster level, broker id must be specified");
        }
        Map<String, String> before = current.effective();
        Map<String, String> after = current.with(target, proposed).effective();
        try {
            BrokerConfig.of(after);
            TopicConfigs.forBroker(after);
        } catch (ConfigException e) {
            throw new MetadataException(Errors.INVALID_REQUEST, e.getMessage());
        }
        String missing = codecs.missingCodec(after.get(BrokerCodecs.COMPRESSION_TYPE));
        if (missing != null) {
            throw new MetadataException(Errors.INVALID_REQUEST, missing);
        }
        for (String key : THREAD_COUNTS) {
            checkThreadCount(key, count(before, key), count(after, key));
        }
        checkCleanerThreads(count(before, CLEANER_THREADS), count(after, CLEANER_THREADS));
    }

    private static void refuseIfAny(Set<String> names, String message) {
        if (!names.isEmpty()) {
            // Kafka prints the names as a Scala set.
            throw new MetadataException(Errors.INVALID_REQUEST, message + ": Set(" + String.join(", ", names) + ")");
        }
    }

    /** Checks a value against its setting's type and range; custom settings take any value. */
    private static void checkValue(String key, String value) {
        BrokerConfigs.Definition def = BrokerConfigs.definition(key);
        if (def == null) {
            return;
        }
        String problem = typeProblem(def, value.trim());
        if (problem == null) {
            problem = TopicConfigs.brokerSettingProblem(key, value);
        }
        if (problem != null) {
            throw new MetadataException(Errors.INVALID_REQUEST,
                    "Invalid value " + value + " for configuration " + key + ": " + problem);
        }
    }

    private static String typeProblem(BrokerConfigs.Definition def, String value) {
        try {
            long number;
            switch (def.type()) {
                case BOOLEAN -> {
                    return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
                            : "Expected value to be either true or false";
                }
                case SHORT -> number = Short.parseShort(value);
                case INT -> number = Integer.parseInt(value);
                case LONG -> number = Long.parseLong(value);
                case DOUBLE -> {
                    Double.parseDouble(value);
                    return null;
                }
                default -> {
                    return null;
                }
            }
            return number < def.min() ? "Value must be at least " + def.min() : null;
        } catch (NumberFormatException e) {
            return "Not a number of type " + def.type();
        }
    }

    /** A thread count, or -1 when a static value does not parse (the new values were checked above). */
    private static int count(Map<String, String> settings, String key) {
        String value = settings.get(key);
        try {
            return Integer.parseInt((value != null ? value : BrokerConfigs.definition(key).kafkaDefault()).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void checkThreadCount(String key, int now, int next) {
        if (next == now || now < 0) {
            return;
        }
        String failed = "Dynamic thread count update validation failed for " + key + "=" + next;
        if (next <= 0) {
            throw new MetadataException(Errors.INVALID_REQUEST, failed + ", value should be at least 1");
        }
        if (next < now / 2) {
            throw new MetadataException(Errors.INVALID_REQUEST, failed
                    + ", value should be at least half the current value " + now);
        }
        if (next > now * 2) {
            throw new MetadataException(Errors.INVALID_REQUEST, failed
                    + ", value should not be greater than double the current value " + now);
        }
    }

    private static void checkCleanerThreads(int now, int next) {
        if (next == now || now < 0) {
            return;
        }
        if (next < 1) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Log cleaner threads should be at least 1");
        }
        if (next < now / 2) {
            throw new MetadataException(Errors.INVALID_REQUEST,
                    "Log cleaner threads cannot be reduced to less than half the current value " + now);
        }
        if (next > now * 2) {
            throw new MetadataException(Errors.INVALID_REQUEST,
                    "Log cleaner threads cannot be increased to more than double the current value " + now);
        }
    }
}
