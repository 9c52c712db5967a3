package io.fjord.cluster.controller;

import java.util.Map;
import java.util.Random;

/**
 * The controller's settings, Kafka's keys.
 *
 * @param uncleanLeaderElection {@code unclean.leader.election.enable}: the default for topics that
 *                              do not set it (false)
 * @param random                the source of placement's random start, seeded in tests
 */
public record ControllerSettings(boolean uncleanLeaderElection, Random random) {

    public static ControllerSettings from(Map<String, String> properties) {
        return new ControllerSettings(
                Boolean.parseBoolean(properties.getOrDefault("unclean.leader.election.enable", "false").trim()),
                new Random());
    }
}
