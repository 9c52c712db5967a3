/**
 * Fjord's clients (producer, consumer, admin) and the one network client under them: non-blocking
 * connections to brokers by node id, in-flight limits, time-outs, reconnect backoff and API version
 * negotiation. The broker's controller and replica fetchers use the network client too, so it
 * knows nothing of producers or consumers.
 */
module io.fjord.client {
    // Transitive: requests and responses in the network client's signatures are the protocol's
    // generated messages, and its failures are the common module's ApiExceptions.
    requires transitive io.fjord.protocol;
    // Partitioners, interceptors, serializers and codecs are plugins, selected by name.
    requires io.fjord.kernel;
    // The consumer protocol's bytes (subscriptions and assignments in JoinGroup and SyncGroup).
    requires io.fjord.assignors;

    exports io.fjord.client.admin;
    exports io.fjord.client.consumer;
    exports io.fjord.client.errors;
    exports io.fjord.client.network;
    exports io.fjord.client.producer;

    uses io.fjord.api.compression.CompressionCodec;
    uses io.fjord.api.consumer.ConsumerInterceptor;
    uses io.fjord.api.consumer.PartitionAssignor;
    uses io.fjord.api.producer.Partitioner;
    uses io.fjord.api.producer.ProducerInterceptor;
    uses io.fjord.api.serialization.Deserializer;
    uses io.fjord.api.serialization.Serializer;

    provides io.fjord.api.serialization.Serializer with
            io.fjord.client.serialization.ByteArraySerializer,
            io.fjord.client.serialization.BytesSerializer,
            io.fjord.client.serialization.IntegerSerializer,
            io.fjord.client.serialization.LongSerializer,
            io.fjord.client.serialization.StringSerializer,
            io.fjord.client.serialization.UuidSerializer;
    provides io.fjord.api.serialization.Deserializer with
            io.fjord.client.serialization.ByteArrayDeserializer,
            io.fjord.client.serialization.BytesDeserializer,
            io.fjord.client.serialization.IntegerDeserializer,
            io.fjord.client.serialization.LongDeserializer,
            io.fjord.client.serialization.StringDeserializer,
            io.fjord.client.serialization.UuidDeserializer;
}
