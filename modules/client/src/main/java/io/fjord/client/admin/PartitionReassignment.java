package io.fjord.client.admin;

import java.util.List;

/** A reassignment in progress: the replicas now assigned, and those being added and removed. */
public record PartitionReassignment(List<Integer> replicas, List<Integer> addingReplicas, List<Integer> removingReplicas) {

    public PartitionReassignment {
        replicas = List.copyOf(replicas);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }
}
