package io.fjord.broker;

/**
 * A handler of a family of APIs (produce, fetch, metadata, topics, configs, groups, offsets...),
 * built with only the broker parts it needs; it tells the dispatcher which APIs it answers.
 */
interface ApiFamily {

    /** Adds a route for every API this family answers. */
    void register(Routes routes);
}
