package io.fjord.client.network;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiVersionsResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeApiVersionsTest {

    private static NodeApiVersions advertising(ApiKeys api, int min, int max) {
        ApiVersionsResponse response = new ApiVersionsResponse();
        response.apiKeys().add(new ApiVersionsResponse.ApiVersion()
                .setApiKey(api.id()).setMinVersion((short) min).setMaxVersion((short) max));
        return NodeApiVersions.of(response);
    }

    @Test
    void picksTheHighestVersionBothSidesSpeak() {
        assertEquals(5, advertising(ApiKeys.METADATA, 0, 5).latestUsableVersion(ApiKeys.METADATA));
        // A newer node: our latest.
        assertEquals(ApiKeys.METADATA.latestVersion(),
                advertising(ApiKeys.METADATA, 0, 99).latestUsableVersion(ApiKeys.METADATA));
    }

    @Test
    void disjointRangesAndMissingApisAreUnsupported() {
        NodeApiVersions newer = advertising(ApiKeys.CREATE_TOPICS, 90, 99);
        UnsupportedVersionException disjoint = assertThrows(UnsupportedVersionException.class,
                () -> newer.latestUsableVersion(ApiKeys.CREATE_TOPICS));
        assertEquals(Errors.UNSUPPORTED_VERSION, disjoint.error());
        assertThrows(UnsupportedVersionException.class, () -> newer.latestUsableVersion(ApiKeys.FETCH));
        assertEquals(-1, newer.maxVersion(ApiKeys.FETCH));
    }

    @Test
    void supportsChecksTheAdvertisedRange() {
        NodeApiVersions node = advertising(ApiKeys.PRODUCE, 3, 7);
        assertTrue(node.supports(ApiKeys.PRODUCE, (short) 3));
        assertTrue(node.supports(ApiKeys.PRODUCE, (short) 7));
        assertFalse(node.supports(ApiKeys.PRODUCE, (short) 2));
        assertFalse(node.supports(ApiKeys.FETCH, (short) 4));
    }
}
