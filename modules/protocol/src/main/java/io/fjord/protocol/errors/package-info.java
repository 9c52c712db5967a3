/** The exception for malformed or unsupported wire input, carrying the Kafka error to answer with. */
package io.fjord.protocol.errors;
