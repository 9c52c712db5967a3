package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.controller.AlterConfigOp;
import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ConfigSynonym;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataStore;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.AlterConfigsRequest;
import io.fjord.protocol.message.AlterConfigsResponse;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.DescribeConfigsRequest;
import io.fjord.protocol.message.DescribeConfigsResponse;
import io.fjord.protocol.message.IncrementalAlterConfigsRequest;
import io.fjord.protocol.message.IncrementalAlterConfigsResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The config APIs: DescribeConfigs (versions 1 to 4) for topics, this broker and the cluster-wide
 * broker default, with synonyms, types and documentation when asked for; IncrementalAlterConfigs
 * (0 to 1) and AlterConfigs (0 to 2) for topics and for the dynamic broker settings, the first
 * changing single keys, the second replacing a resource's whole set (Kafka's older API, which
 * KafkaJS and older tools still use). Both validate every key and value first; {@code
 * validate_only} changes nothing. Each resource gets its own error; one failing never fails the
 * others, and a resource named twice is refused each time, as Kafka does. BROKER resources are
 * {@link BrokerConfigAdmin}'s.
 */
final class ConfigHandler implements ApiFamily {

    /** Resource types (Kafka's {@code ConfigResource.Type}). */
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte BROKER_RESOURCE = 4;
    private static final String NAMED_TWICE = "Each resource must appear at most once.";

    private final MetadataStore store;
    private final BrokerConfigAdmin brokerConfigs;
    private final BrokerCodecs codecs;

    ConfigHandler(MetadataStore store, BrokerConfigAdmin brokerConfigs, BrokerCodecs codecs) {
        this.store = store;
        this.brokerConfigs = brokerConfigs;
        this.codecs = codecs;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.DESCRIBE_CONFIGS, DescribeConfigsRequest.class, this::describeConfigs)
                .add(ApiKeys.INCREMENTAL_ALTER_CONFIGS, IncrementalAlterConfigsRequest.class, this::incrementalAlterConfigs)
                .add(ApiKeys.ALTER_CONFIGS, AlterConfigsRequest.class, this::alterConfigs);
    }

    void describeConfigs(NetworkRequest request, DescribeConfigsRequest body) {
        DescribeConfigsResponse response = new DescribeConfigsResponse();
        for (DescribeConfigsRequest.DescribeConfigsResource resource : body.resources()) {
            byte type = resource.resourceType();
            String name = resource.resourceName();
            DescribeConfigsResponse.DescribeConfigsResult r = new DescribeConfigsResponse.DescribeConfigsResult()
                    .setResourceType(type).setResourceName(name);
            response.results().add(r);
            try {
                List<ConfigEntry> entries = switch (type) {
                    case TOPIC_RESOURCE -> store.describeConfigs(name, resource.configurationKeys());
                    case BROKER_RESOURCE -> brokerConfigs.describe(name, resource.configurationKeys());
                    default -> throw new MetadataException(Errors.INVALID_REQUEST, "Unsupported resource type " + type);
                };
                for (ConfigEntry e : entries) {
                    r.configs().add(type == BROKER_RESOURCE
                            ? describeBrokerSetting(e, body.includeSynonyms(), body.includeDocumentation())
                            : describe(e, false, false, null, body.includeSynonyms()));
                }
            } catch (MetadataException e) {
                r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        Responses.send(request, response);
    }

    /** A broker setting: read-only unless Kafka changes it at run time; custom settings are sensitive. */
    private static DescribeConfigsResponse.DescribeConfigsResourceResult describeBrokerSetting(ConfigEntry e,
            boolean withSynonyms, boolean withDocumentation) {
        BrokerConfigs.Definition def = BrokerConfigs.definition(e.name());
        boolean readOnly = def == null ? e.name().startsWith("fjord.") : !def.dynamic();
        String documentation = withDocumentation && def != null ? def.documentation() : null;
        return describe(e, readOnly, BrokerConfigLayers.isSensitive(e.name()), documentation, withSynonyms);
    }

    private static DescribeConfigsResponse.DescribeConfigsResourceResult describe(ConfigEntry e, boolean readOnly,
            boolean sensitive, String documentation, boolean withSynonyms) {
        DescribeConfigsResponse.DescribeConfigsResourceResult c = new DescribeConfigsResponse.DescribeConfigsResourceResult()
                .setName(e.name())
                .setValue(e.value())
                .setReadOnly(readOnly)
                .setConfigSource(e.source().id())
                .setIsSensitive(sensitive)
                .setConfigType(e.type().id())
                .setDocumentation(documentation);
        if (withSynonyms) {
            for (ConfigSynonym s : e.synonyms()) {
                c.synonyms().add(new DescribeConfigsResponse.DescribeConfigsSynonym()
                        .setName(s.name()).setValue(s.value()).setSource(s.source().id()));
            }
        }
        return c;
    }

    void incrementalAlterConfigs(NetworkRequest request, IncrementalAlterConfigsRequest body) {
        IncrementalAlterConfigsResponse response = new IncrementalAlterConfigsResponse();
        Set<String> namedTwice = namedTwice(body.resources(), IncrementalAlterConfigsRequest.AlterConfigsResource::resourceType,
                IncrementalAlterConfigsRequest.AlterConfigsResource::resourceName);
        for (IncrementalAlterConfigsRequest.AlterConfigsResource resource : body.resources()) {
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse r =
                    new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(r);
            if (namedTwice.contains(resource.resourceType() + "/" + resource.resourceName())) {
                r.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NAMED_TWICE);
                continue;
            }
            try {
                requireTopicOrBroker(resource.resourceType());
                List<AlterConfigOp> ops = new ArrayList<>();
                for (IncrementalAlterConfigsRequest.AlterableConfig c : resource.configs()) {
                    AlterConfigOp.Type op = AlterConfigOp.Type.forId(c.configOperation());
                    if (op == null) {
                        throw new MetadataException(Errors.INVALID_REQUEST, "Unknown config operation " + c.configOperation());
                    }
                    ops.add(new AlterConfigOp(op, c.name(), c.value()));
                }
                String name = resource.resourceName();
                if (resource.resourceType() == BROKER_RESOURCE) {
                    brokerConfigs.incrementalAlter(name, ops, body.validateOnly());
                    continue;
                }
                if (ops.stream().anyMatch(op -> op.key().equals(BrokerCodecs.COMPRESSION_TYPE))) {
                    codecs.requireCodec(store.incrementalAlterConfigs(name, ops, true).get(BrokerCodecs.COMPRESSION_TYPE));
                }
                store.incrementalAlterConfigs(name, ops, body.validateOnly());
            } catch (MetadataException e) {
                r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        Responses.send(request, response);
    }

    void alterConfigs(NetworkRequest request, AlterConfigsRequest body) {
        AlterConfigsResponse response = new AlterConfigsResponse();
        Set<String> namedTwice = namedTwice(body.resources(), AlterConfigsRequest.AlterConfigsResource::resourceType,
                AlterConfigsRequest.AlterConfigsResource::resourceName);
        for (AlterConfigsRequest.AlterConfigsResource resource : body.resources()) {
            AlterConfigsResponse.AlterConfigsResourceResponse r = new AlterConfigsResponse.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(r);
            if (namedTwice.contains(resource.resourceType() + "/" + resource.resourceName())) {
                r.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NAMED_TWICE);
                continue;
            }
            try {
                requireTopicOrBroker(resource.resourceType());
                Map<String, String> configs = new LinkedHashMap<>();
                Set<String> seen = new HashSet<>();
                for (AlterConfigsRequest.AlterableConfig c : resource.configs()) {
                    if (!seen.add(c.name())) {
                        throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys: " + c.name());
                    }
                    configs.put(c.name(), c.value());
                }
                if (resource.resourceType() == BROKER_RESOURCE) {
                    brokerConfigs.alter(resource.resourceName(), configs, body.validateOnly());
                    continue;
                }
                if (configs.containsKey(BrokerCodecs.COMPRESSION_TYPE)) {
                    store.alterConfigs(resource.resourceName(), configs, true);
                    codecs.requireCodec(configs.get(BrokerCodecs.COMPRESSION_TYPE));
                }
                store.alterConfigs(resource.resourceName(), configs, body.validateOnly());
            } catch (MetadataException e) {
                r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        Responses.send(request, response);
    }

    /** The resources (as type/name) a request names more than once: Kafka refuses every copy. */
    private static <T> Set<String> namedTwice(List<T> resources, Function<T, Byte> type, Function<T, String> name) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (T resource : resources) {
            String key = type.apply(resource) + "/" + name.apply(resource);
            if (!seen.add(key)) {
                twice.add(key);
            }
        }
        return twice;
    }

    private static void requireTopicOrBroker(byte resourceType) {
        if (resourceType != TOPIC_RESOURCE && resourceType != BROKER_RESOURCE) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Unknown resource type " + resourceType);
        }
    }
}
