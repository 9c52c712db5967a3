/** Kafka's error codes ({@link io.fjord.protocol.errors.Errors}) and the exception for bad wire input. */
package io.fjord.protocol.errors;
