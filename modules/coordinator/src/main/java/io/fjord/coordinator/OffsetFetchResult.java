package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;

import java.util.Map;

/**
 * The answer to an OffsetFetch for one group.
 *
 * @param error NONE, or the coordinator error that applies to every partition
 * @param offsets per partition, in request order; a null value means no committed offset (the
 *     wire answer is offset -1)
 */
public record OffsetFetchResult(Errors error, Map<TopicPartition, CommittedOffset> offsets) {
}
