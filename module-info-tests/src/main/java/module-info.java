/**
 * The root the module-graph tests run in: requiring every module of the image puts them all on
 * the tests' module path as named modules, resolved as the image resolves them.
 */
module io.fjord.moduletests {
    requires io.fjord.cli;
    requires io.fjord.compression;
    requires io.fjord.assignors;
    requires io.fjord.controller;
    requires io.fjord.common;
    requires io.fjord.protocol;
    requires io.fjord.log;
    requires io.fjord.timer;
    requires io.fjord.network;
    requires io.fjord.client;
    requires io.fjord.replication;
    requires io.fjord.cluster;
    requires io.fjord.coordinator;
    requires io.fjord.broker;
}
