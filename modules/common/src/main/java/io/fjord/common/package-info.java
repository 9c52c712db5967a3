/**
 * What every layer of the broker shares: the clock ({@link io.fjord.common.Time}) and the
 * scheduler of background work ({@link io.fjord.common.Scheduler}), so that tests can drive both.
 */
package io.fjord.common;
