package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;

import java.util.Map;

/**
 * The answer to OffsetDelete.
 *
 * @param error the group-level error; when not NONE the partition map is empty
 * @param partitions per requested partition: NONE or GROUP_SUBSCRIBED_TO_TOPIC
 */
public record OffsetDeleteResult(Errors error, Map<TopicPartition, Errors> partitions) {
}
