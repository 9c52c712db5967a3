/**
 * The consumer's machinery: the fetcher and its fetch sessions, offsets by time, group membership
 * and commits, the cluster metadata it reads by. Not exported.
 */
package io.fjord.client.consumer.internals;
