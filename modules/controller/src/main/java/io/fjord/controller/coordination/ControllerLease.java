package io.fjord.controller.coordination;

/**
 * Proof of a won controller election, carried by every controller write.
 *
 * @param controllerId the broker that won
 * @param epoch        the controller epoch: one more than the previous controller's; brokers refuse
 *                     requests of an older epoch
 * @param fence        the engine's token for this epoch (ZooKeeper: the version of
 *                     {@code /controller_epoch}); a write made with a lease whose fence is no
 *                     longer current fails with {@link CoordinationException.Reason#FENCED}
 */
public record ControllerLease(int controllerId, int epoch, long fence) {
}
