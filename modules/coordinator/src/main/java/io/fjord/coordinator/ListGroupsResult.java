package io.fjord.coordinator;

import io.fjord.common.errors.Errors;

import java.util.List;

/** The answer to ListGroups: the groups of every loaded offsets partition, and an error if some still load. */
public record ListGroupsResult(Errors error, List<GroupOverview> groups) {
}
