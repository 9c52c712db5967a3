/**
 * Kafka's error codes ({@link io.fjord.common.errors.Errors}) and the exception that carries one
 * ({@link io.fjord.common.errors.ApiException}), the base of every module's typed failures.
 */
package io.fjord.common.errors;
