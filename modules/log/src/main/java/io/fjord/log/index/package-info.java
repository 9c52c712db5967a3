/**
 * The memory-mapped sparse indexes of a segment, in Kafka's {@code .index} and
 * {@code .timeindex} layouts. Internal to the log: the module does not export this package.
 */
package io.fjord.log.index;
