/**
 * Declarative message layouts and the codec that interprets them: a {@link
 * io.fjord.protocol.schema.Schema} lists {@link io.fjord.protocol.schema.Field}s with the versions
 * they exist and may be null in; {@link io.fjord.protocol.schema.StructCodec} reads and writes a
 * {@link io.fjord.protocol.schema.Struct} of any schema at any version, classic or flexible.
 */
package io.fjord.protocol.schema;
