/** A sample partitioner plugin: a record goes to the partition its key's prefix is routed to. */
module io.fjord.plugin.keyprefix {
    requires io.fjord.api;

    provides io.fjord.api.producer.Partitioner with io.fjord.plugin.keyprefix.KeyPrefixPartitioner;
}
