/**
 * The admin client's calls: {@link io.fjord.client.admin.internals.AdminCalls} (finding the node,
 * retrying until the deadline) and one class per family of operations. Not exported.
 */
package io.fjord.client.admin.internals;
