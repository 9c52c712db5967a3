/**
 * The plugin runtime. Finds providers of Fjord's extension points in the image (boot layer or
 * class path) and in a plugins folder (one child layer per sub-folder or jar), selects them by
 * name, configures and closes them, and lists all it found.
 */
module io.fjord.kernel {
    requires transitive io.fjord.api;

    exports io.fjord.kernel;

    uses io.fjord.api.compression.CompressionCodec;
    uses io.fjord.api.producer.Partitioner;
    uses io.fjord.api.producer.ProducerInterceptor;
    uses io.fjord.api.consumer.ConsumerInterceptor;
    uses io.fjord.api.consumer.PartitionAssignor;
    uses io.fjord.api.serialization.Serializer;
    uses io.fjord.api.serialization.Deserializer;
}
