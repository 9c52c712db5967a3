/**
 * Time-outs for the broker: a hierarchical timing wheel ({@code Timer}, {@code TimerTask}) with
 * O(1) insert and cancel, and the purgatory of delayed operations built on it (delayed fetch,
 * delayed produce, group join and heartbeat deadlines). No dependencies beyond java.base.
 */
module io.fjord.timer {
    exports io.fjord.timer;
}
