/**
 * The types shared by every layer: the clock, the scheduler of background work, Kafka's error codes
 * and the exception base that carries one.
 */
module io.fjord.common {
    // A failing background task is reported through the JDK's logging.
    requires java.logging;

    exports io.fjord.common;
    exports io.fjord.common.errors;
}
