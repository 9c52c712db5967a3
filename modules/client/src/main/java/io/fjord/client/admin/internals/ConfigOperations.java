package io.fjord.client.admin.internals;

import io.fjord.client.admin.AlterConfigOp;
import io.fjord.client.admin.ConfigEntry;
import io.fjord.client.admin.ConfigResource;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.AlterConfigsRequest;
import io.fjord.protocol.message.AlterConfigsResponse;
import io.fjord.protocol.message.DescribeConfigsRequest;
import io.fjord.protocol.message.DescribeConfigsResponse;
import io.fjord.protocol.message.IncrementalAlterConfigsRequest;
import io.fjord.protocol.message.IncrementalAlterConfigsResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Describing configs, and altering them whole (AlterConfigs) or key by key (IncrementalAlterConfigs). */
public final class ConfigOperations {

    private final AdminCalls calls;

    public ConfigOperations(AdminCalls calls) {
        this.calls = calls;
    }

    public Map<ConfigResource, CompletableFuture<List<ConfigEntry>>> describe(Collection<ConfigResource> resources,
                                                                            long deadlineNs) {
        Map<ConfigResource, CompletableFuture<List<ConfigEntry>>> results = TopicOperations.futures(resources);
        calls.call("DescribeConfigs", AdminCalls.ANY, () -> {
            DescribeConfigsRequest request = new DescribeConfigsRequest();
            for (ConfigResource resource : resources) {
                request.resources().add(new DescribeConfigsRequest.DescribeConfigsResource()
                        .setResourceType(resource.type().code())
                        .setResourceName(resource.name()).setConfigurationKeys(null));
            }
            return request;
        }, DescribeConfigsResponse.class, r -> Errors.NONE, deadlineNs).whenComplete((r, failure) -> {
            if (failure != null) {
                TopicOperations.failAll(results, failure);
                return;
            }
            for (DescribeConfigsResponse.DescribeConfigsResult result : r.results()) {
                CompletableFuture<List<ConfigEntry>> future = results.get(resource(result.resourceType(), result.resourceName()));
                if (future == null) {
                    continue;
                }
                if (result.errorCode() != 0) {
                    future.completeExceptionally(ClientException.of(Errors.forCode(result.errorCode()), result.errorMessage()));
                    continue;
                }
                List<ConfigEntry> entries = new ArrayList<>();
                for (DescribeConfigsResponse.DescribeConfigsResourceResult c : result.configs()) {
                    entries.add(new ConfigEntry(c.name(), c.value(), c.configSource() == ConfigEntry.DEFAULT_CONFIG,
                            c.readOnly(), c.isSensitive(), c.configSource()));
                }
                future.complete(List.copyOf(entries));
            }
            TopicOperations.failMissing(results);
        });
        return results;
    }

    public Map<ConfigResource, CompletableFuture<Void>> alterIncrementally(Map<ConfigResource, List<AlterConfigOp>> changes,
                                                                          boolean validateOnly, long deadlineNs) {
        Map<ConfigResource, CompletableFuture<Void>> results = TopicOperations.futures(changes.keySet());
        calls.call("IncrementalAlterConfigs", AdminCalls.ANY, () -> {
            IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest().setValidateOnly(validateOnly);
            changes.forEach((resource, ops) -> {
                IncrementalAlterConfigsRequest.AlterConfigsResource r = new IncrementalAlterConfigsRequest.AlterConfigsResource()
                        .setResourceType(code(resource)).setResourceName(resource.name());
                for (AlterConfigOp op : ops) {
                    r.configs().add(new IncrementalAlterConfigsRequest.AlterableConfig().setName(op.name())
                            .setValue(op.value()).setConfigOperation(op.op().code()));
                }
                request.resources().add(r);
            });
            return request;
        }, IncrementalAlterConfigsResponse.class, r -> Errors.NONE, deadlineNs).whenComplete((r, failure) -> {
            if (failure != null) {
                TopicOperations.failAll(results, failure);
                return;
            }
            for (IncrementalAlterConfigsResponse.AlterConfigsResourceResponse answer : r.responses()) {
                TopicOperations.complete(results.get(resource(answer.resourceType(), answer.resourceName())),
                        answer.errorCode(), answer.errorMessage());
            }
            TopicOperations.failMissing(results);
        });
        return results;
    }

    public Map<ConfigResource, CompletableFuture<Void>> alterWhole(Map<ConfigResource, Map<String, String>> configs,
                                                                  boolean validateOnly, long deadlineNs) {
        Map<ConfigResource, CompletableFuture<Void>> results = TopicOperations.futures(configs.keySet());
        calls.call("AlterConfigs", AdminCalls.ANY, () -> {
            AlterConfigsRequest request = new AlterConfigsRequest().setValidateOnly(validateOnly);
            configs.forEach((resource, values) -> {
                AlterConfigsRequest.AlterConfigsResource r = new AlterConfigsRequest.AlterConfigsResource()
                        .setResourceType(code(resource)).setResourceName(resource.name());
                values.forEach((k, v) -> r.configs().add(new AlterConfigsRequest.AlterableConfig().setName(k).setValue(v)));
                request.resources().add(r);
            });
            return request;
        }, AlterConfigsResponse.class, r -> Errors.NONE, deadlineNs).whenComplete((r, failure) -> {
            if (failure != null) {
                TopicOperations.failAll(results, failure);
                return;
            }
            for (AlterConfigsResponse.AlterConfigsResourceResponse answer : r.responses()) {
                TopicOperations.complete(results.get(resource(answer.resourceType(), answer.resourceName())),
                        answer.errorCode(), answer.errorMessage());
            }
            TopicOperations.failMissing(results);
        });
        return results;
    }

    private static byte code(ConfigResource resource) {
        return resource.type().code();
    }

    private static ConfigResource resource(byte type, String name) {
        return new ConfigResource(ConfigResource.Type.of(type), name);
    }
}
