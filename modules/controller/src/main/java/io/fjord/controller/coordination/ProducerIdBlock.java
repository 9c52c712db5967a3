package io.fjord.controller.coordination;

/**
 * A range of producer ids handed to one broker, unique across the cluster and across restarts.
 *
 * @param brokerId the broker the block was handed to
 * @param firstId  the first id of the block
 * @param size     how many ids it holds
 */
public record ProducerIdBlock(int brokerId, long firstId, int size) {

    /** The last id of the block. */
    public long lastId() {
        return firstId + size - 1;
    }
}
