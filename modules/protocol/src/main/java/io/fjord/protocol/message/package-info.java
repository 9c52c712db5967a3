/**
 * The Kafka APIs Fjord supports: {@link io.fjord.protocol.message.ApiKeys} (keys, advertised
 * versions, flexible versions, layouts), the request and response headers and the rule pairing
 * them with an (API, version), and {@link io.fjord.protocol.message.MessageCodec}, which decodes
 * and encodes whole frames.
 */
package io.fjord.protocol.message;
