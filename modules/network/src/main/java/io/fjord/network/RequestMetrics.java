package io.fjord.network;

import io.fjord.protocol.message.ApiKeys;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-API request timings, as Kafka's {@code RequestChannel} keeps them: time in the request
 * queue, time in the handler, time in the response queue and time to send the response. All
 * histograms exist from the start, so recording never allocates.
 */
public final class RequestMetrics {

    /** The four stages of one API's requests. */
    public static final class ApiMetrics {
        private final LatencyHistogram requestQueueTime = new LatencyHistogram();
        private final LatencyHistogram handleTime = new LatencyHistogram();
        private final LatencyHistogram responseQueueTime = new LatencyHistogram();
        private final LatencyHistogram responseSendTime = new LatencyHistogram();

        /** From the frame being parsed to a handler thread taking it. */
        public LatencyHistogram requestQueueTime() {
            return requestQueueTime;
        }

        /** From a handler thread taking the request to the handler completing it. */
        public LatencyHistogram handleTime() {
            return handleTime;
        }

        /** From completion to the processor's event loop taking the response. */
        public LatencyHistogram responseQueueTime() {
            return responseQueueTime;
        }

        /** From the event loop taking the response to its last byte being handed to the socket. */
        public LatencyHistogram responseSendTime() {
            return responseSendTime;
        }
    }

    private final Map<ApiKeys, ApiMetrics> byApi = new EnumMap<>(ApiKeys.class);
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder trailingBytesIgnored = new LongAdder();

    RequestMetrics() {
        for (ApiKeys api : ApiKeys.values()) {
            byApi.put(api, new ApiMetrics());
        }
    }

    /** The timings of one API. */
    public ApiMetrics api(ApiKeys api) {
        return byApi.get(api);
    }

    /** Requests whose handler threw; each closed its connection. */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    void handlerFailed() {
        handlerFailures.increment();
    }

    /** Requests that carried bytes after their body, which were ignored as Kafka ignores them. */
    public long requestsWithTrailingBytes() {
        return trailingBytesIgnored.sum();
    }

    void trailingBytesIgnored() {
        trailingBytesIgnored.increment();
    }
}
