package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiVersionsResponse;
import io.fjord.protocol.message.MessageCodec;

import java.util.List;
import java.util.Set;

/**
 * The ApiVersions answers: every API the broker routes with the versions Fjord serves, and the
 * feature flags Kafka's clients and {@code kafka-features describe} read. An API that Fjord can
 * decode but the broker does not route is left out, so that no client picks a request the broker
 * would only close the connection on. Fjord speaks none of the optional feature levels (KIP-848
 * groups, transactions v2, KRaft, share and streams groups, eligible leader replicas), so each is
 * supported at level 0 only and none is finalized above 0; the finalized epoch is 0, which tells
 * clients the feature information is valid. A version 3 answer leaves out features whose minimum
 * level is 0, as Kafka does, since older clients cannot read them.
 *
 * <p>The answers are built once and only ever encoded, which reads them: safe to share between
 * handler threads.
 */
final class ApiVersionsAnswer {

    /** The features Kafka 4 brokers report, none of which Fjord implements beyond level 0. */
    private static final List<String> FEATURES = List.of("eligible.leader.replicas.version", "group.version",
            "kraft.version", "share.version", "streams.version", "transaction.version");
    private static final short FIRST_VERSION_WITH_ZERO_LEVELS = 4;

    private final ApiVersionsResponse withoutFeatures;
    private final ApiVersionsResponse withFeatures;
    private final ApiVersionsResponse unsupported;

    /** The answers advertising {@code routed}, which must include ApiVersions itself. */
    ApiVersionsAnswer(Set<ApiKeys> routed) {
        if (!routed.contains(ApiKeys.API_VERSIONS)) {
            throw new IllegalArgumentException("ApiVersions must be routed to be advertised");
        }
        withoutFeatures = answer(routed, false);
        withFeatures = answer(routed, true);
        unsupported = MessageCodec.apiVersionsResponse(Errors.UNSUPPORTED_VERSION, routed);
    }

    private static ApiVersionsResponse answer(Set<ApiKeys> routed, boolean withFeatures) {
        ApiVersionsResponse response = MessageCodec.apiVersionsResponse(Errors.NONE, routed).setFinalizedFeaturesEpoch(0L);
        if (withFeatures) {
            for (String feature : FEATURES) {
                response.supportedFeatures().add(new ApiVersionsResponse.SupportedFeatureKey()
                        .setName(feature).setMinVersion((short) 0).setMaxVersion((short) 0));
            }
        }
        return response;
    }

    /** The answer to a supported ApiVersions request of {@code version}; shared, never to be changed. */
    ApiVersionsResponse supported(short version) {
        return version >= FIRST_VERSION_WITH_ZERO_LEVELS ? withFeatures : withoutFeatures;
    }

    /** The version 0 answer to an ApiVersions request of a version above Fjord's; shared, never to be changed. */
    ApiVersionsResponse unsupportedVersion() {
        return unsupported;
    }
}
