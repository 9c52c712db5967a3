package io.fjord.cluster.controller;

import java.util.List;

/**
 * A reassignment in progress, as ListPartitionReassignments reports it.
 *
 * @param replicas the current replicas (original and target together)
 * @param adding   target replicas not in the original set
 * @param removing original replicas not in the target set
 */
public record OngoingReassignment(List<Integer> replicas, List<Integer> adding, List<Integer> removing) {
}
