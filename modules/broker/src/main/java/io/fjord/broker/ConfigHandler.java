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

/**
 * The config APIs: DescribeConfigs (versions 1 to 4) for topics and this broker, with synonyms
 * and types when asked for; IncrementalAlterConfigs (0 to 1) and AlterConfigs (0 to 2) for
 * topics, the first changing single keys, the second replacing a topic's whole set of overrides
 * (Kafka's older API, which KafkaJS and older tools still use). Both validate every key and value
 * first; {@code validate_only} changes nothing. Each resource gets its own error; one failing
 * never fails the others. Broker settings are static: altering them is an INVALID_REQUEST.
 */
final class ConfigHandler implements ApiFamily {

    /** Resource types (Kafka's {@code ConfigResource.Type}). */
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte BROKER_RESOURCE = 4;

    private final MetadataStore store;
    private final Map<String, String> brokerProperties;
    private final int nodeId;
    private final BrokerCodecs codecs;

    ConfigHandler(MetadataStore store, Map<String, String> brokerProperties, int nodeId, BrokerCodecs codecs) {
        this.store = store;
        this.brokerProperties = brokerProperties;
        this.nodeId = nodeId;
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
                    case BROKER_RESOURCE -> brokerConfigs(name, resource.configurationKeys());
                    default -> throw new MetadataException(Errors.INVALID_REQUEST, "Unsupported resource type " + type);
                };
                for (ConfigEntry e : entries) {
                    r.configs().add(describe(e, type == BROKER_RESOURCE, body.includeSynonyms()));
                }
            } catch (MetadataException e) {
                r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        Responses.send(request, response);
    }

    private static DescribeConfigsResponse.DescribeConfigsResourceResult describe(ConfigEntry e, boolean readOnly,
            boolean withSynonyms) {
        DescribeConfigsResponse.DescribeConfigsResourceResult c = new DescribeConfigsResponse.DescribeConfigsResourceResult()
                .setName(e.name())
                .setValue(e.value())
                .setReadOnly(readOnly)
                .setConfigSource(e.source().id())
                .setIsSensitive(false)
                .setConfigType(e.type().id())
                .setDocumentation(null);
        if (withSynonyms) {
            for (ConfigSynonym s : e.synonyms()) {
                c.synonyms().add(new DescribeConfigsResponse.DescribeConfigsSynonym()
                        .setName(s.name()).setValue(s.value()).setSource(s.source().id()));
            }
        }
        return c;
    }

    /** This broker's settings, every one it knows with its default; another node id is an error. */
    private List<ConfigEntry> brokerConfigs(String name, List<String> keys) {
        if (!name.isEmpty() && !name.equals(Integer.toString(nodeId))) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Unknown broker " + name);
        }
        return BrokerConfigs.describe(brokerProperties, keys);
    }

    void incrementalAlterConfigs(NetworkRequest request, IncrementalAlterConfigsRequest body) {
        IncrementalAlterConfigsResponse response = new IncrementalAlterConfigsResponse();
        for (IncrementalAlterConfigsRequest.AlterConfigsResource resource : body.resources()) {
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse r =
                    new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(r);
            try {
                requireTopic(resource.resourceType());
                List<AlterConfigOp> ops = new ArrayList<>();
                for (IncrementalAlterConfigsRequest.AlterableConfig c : resource.configs()) {
                    AlterConfigOp.Type op = AlterConfigOp.Type.forId(c.configOperation());
                    if (op == null) {
                        throw new MetadataException(Errors.INVALID_REQUEST, "Unknown config operation " + c.configOperation());
                    }
                    ops.add(new AlterConfigOp(op, c.name(), c.value()));
                }
                String name = resource.resourceName();
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
        for (AlterConfigsRequest.AlterConfigsResource resource : body.resources()) {
            AlterConfigsResponse.AlterConfigsResourceResponse r = new AlterConfigsResponse.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(r);
            try {
                requireTopic(resource.resourceType());
                Map<String, String> configs = new LinkedHashMap<>();
                Set<String> seen = new HashSet<>();
                for (AlterConfigsRequest.AlterableConfig c : resource.configs()) {
                    if (!seen.add(c.name())) {
                        throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys: " + c.name());
                    }
                    configs.put(c.name(), c.value());
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

    private static void requireTopic(byte resourceType) {
        if (resourceType != TOPIC_RESOURCE) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Only topic configs can be altered; broker configs are static");
        }
    }
}
