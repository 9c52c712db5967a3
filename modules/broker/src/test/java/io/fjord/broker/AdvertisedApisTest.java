package io.fjord.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.ApiVersionsRequest;
import io.fjord.protocol.message.ApiVersionsResponse;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.ProduceRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ApiVersions advertises exactly what the broker routes: every advertised (API, version) is answered
 * with a response that decodes, even for a request with every field at its default, and an API
 * Fjord can decode but does not route is not advertised and closes the connection.
 */
class AdvertisedApisTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private Set<ApiKeys> advertised() throws Exception {
        try (WireClient wire = WireClient.connect(fixture.broker().boundPort(), "advertised")) {
            ApiVersionsResponse response = wire.call(ApiKeys.API_VERSIONS.latestVersion(), new ApiVersionsRequest()
                    .setClientSoftwareName("fjord-test").setClientSoftwareVersion("1"), ApiVersionsResponse.class);
            Set<ApiKeys> apis = EnumSet.noneOf(ApiKeys.class);
            for (ApiVersionsResponse.ApiVersion v : response.apiKeys()) {
                ApiKeys api = ApiKeys.forId(v.apiKey());
                assertTrue(apis.add(api), api + " is listed once");
                assertEquals(api.oldestVersion(), v.minVersion(), api + " oldest");
                assertEquals(api.latestVersion(), v.maxVersion(), api + " latest");
            }
            return apis;
        }
    }

    @Test
    void everyAdvertisedApiAndVersionIsAnswered() throws Exception {
        Set<ApiKeys> advertised = advertised();
        assertTrue(advertised.contains(ApiKeys.API_VERSIONS) && advertised.contains(ApiKeys.PRODUCE)
                && advertised.contains(ApiKeys.FETCH), "the core APIs are advertised: " + advertised);
        try (WireClient wire = WireClient.connect(fixture.broker().boundPort(), "every-api")) {
            int correlationId = 0;
            for (ApiKeys api : advertised) {
                for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
                    ApiMessage request = api.newRequest();
                    if (request instanceof ProduceRequest produce) {
                        produce.setAcks((short) 1); // acks=0 gets no answer at all
                    }
                    ByteBuffer frame = wire.roundTrip(v, ++correlationId, request);
                    MessageCodec.DecodedResponse response = MessageCodec.decodeResponse(api, v, frame);
                    assertEquals(correlationId, response.header().correlationId(), api + " v" + v);
                    assertNotNull(response.body(), api + " v" + v);
                }
            }
        }
    }

    @Test
    void theAnswersListOnlyWhatIsRouted() {
        ApiVersionsAnswer answer = new ApiVersionsAnswer(EnumSet.of(ApiKeys.METADATA, ApiKeys.API_VERSIONS));
        for (ApiVersionsResponse response : new ApiVersionsResponse[] {answer.supported((short) 3),
                answer.supported((short) 4), answer.unsupportedVersion()}) {
            assertEquals(2, response.apiKeys().size());
            assertEquals(ApiKeys.METADATA.id(), response.apiKeys().get(0).apiKey(), "in key order");
            assertEquals(ApiKeys.API_VERSIONS.id(), response.apiKeys().get(1).apiKey());
        }
        assertThrows(IllegalArgumentException.class, () -> new ApiVersionsAnswer(EnumSet.of(ApiKeys.METADATA)));
    }

    @Test
    void anApiFjordSpeaksButTheBrokerDoesNotRouteIsNotAdvertisedAndClosesTheConnection() throws Exception {
        Set<ApiKeys> notRouted = EnumSet.complementOf(EnumSet.copyOf(advertised()));
        assumeFalse(notRouted.isEmpty(), "every API Fjord speaks is routed");
        ApiKeys api = notRouted.iterator().next();
        try (WireClient wire = WireClient.connect(fixture.broker().boundPort(), "not-routed")) {
            wire.send(api.latestVersion(), api.newRequest());
            assertTrue(wire.closedByServer(), api + " closes the connection");
        }
        assertFalse(advertised().contains(api));
    }
}
