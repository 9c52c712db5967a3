package io.fjord.client.network;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiVersionsResponse;

import java.util.Arrays;

/**
 * The API versions one node advertised in its ApiVersions response, and the version this client
 * uses for each API: the highest that both the node and Fjord's generated classes speak.
 *
 * <p>Immutable, so any thread may read it.
 */
public final class NodeApiVersions {

    private static final short UNSUPPORTED = -1;

    // Indexed by API key; UNSUPPORTED where the node does not list the key.
    private final short[] minVersions;
    private final short[] maxVersions;

    private NodeApiVersions(short[] minVersions, short[] maxVersions) {
        this.minVersions = minVersions;
        this.maxVersions = maxVersions;
    }

    /** The versions listed in {@code response}; keys outside 0..{@link Short#MAX_VALUE} are ignored. */
    public static NodeApiVersions of(ApiVersionsResponse response) {
        int size = 0;
        for (ApiVersionsResponse.ApiVersion api : response.apiKeys()) {
            size = Math.max(size, api.apiKey() + 1);
        }
        short[] min = new short[size];
        short[] max = new short[size];
        Arrays.fill(min, UNSUPPORTED);
        Arrays.fill(max, UNSUPPORTED);
        for (ApiVersionsResponse.ApiVersion api : response.apiKeys()) {
            if (api.apiKey() >= 0 && api.minVersion() <= api.maxVersion()) {
                min[api.apiKey()] = api.minVersion();
                max[api.apiKey()] = api.maxVersion();
            }
        }
        return new NodeApiVersions(min, max);
    }

    /** Whether the node advertises {@code version} of {@code api}. */
    public boolean supports(ApiKeys api, short version) {
        int key = api.id();
        return key < maxVersions.length && maxVersions[key] != UNSUPPORTED
                && version >= minVersions[key] && version <= maxVersions[key];
    }

    /** The node's highest version of {@code api}, or -1 if it does not advertise the API. */
    public short maxVersion(ApiKeys api) {
        return api.id() < maxVersions.length ? maxVersions[api.id()] : UNSUPPORTED;
    }

    /**
     * The highest version of {@code api} both sides speak.
     *
     * @throws UnsupportedVersionException if the ranges do not overlap or the node lacks the API
     */
    public short latestUsableVersion(ApiKeys api) {
        int key = api.id();
        if (key >= maxVersions.length || maxVersions[key] == UNSUPPORTED) {
            throw new UnsupportedVersionException("The node does not support " + api.apiName());
        }
        short version = (short) Math.min(maxVersions[key], api.latestVersion());
        if (version < minVersions[key] || version < api.oldestVersion()) {
            throw new UnsupportedVersionException("The node supports " + api.apiName() + " versions "
                    + minVersions[key] + " to " + maxVersions[key] + ", this client " + api.oldestVersion()
                    + " to " + api.latestVersion());
        }
        return version;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("NodeApiVersions(");
        for (int key = 0; key < maxVersions.length; key++) {
            if (maxVersions[key] != UNSUPPORTED) {
                out.append(key).append(':').append(minVersions[key]).append('-').append(maxVersions[key]).append(' ');
            }
        }
        return out.append(')').toString();
    }
}
