package io.fjord.client.admin;

import io.fjord.api.Node;

import java.util.List;
import java.util.Optional;

/** The cluster as DescribeCluster reports it. */
public record ClusterDescription(String clusterId, Optional<Node> controller, List<Node> nodes) {
}
