package io.fjord.clienttests;

/** A broker the consumer tests run against: Fjord's or Apache Kafka's, restartable on the same data. */
interface BrokerUnderTest extends AutoCloseable {

    /** The address clients use; it stays the same across restarts. */
    String bootstrap();

    /** Stops the broker and starts it again on the same data. */
    void restart() throws Exception;

    @Override
    void close() throws Exception;
}
