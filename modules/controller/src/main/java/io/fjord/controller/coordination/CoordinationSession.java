package io.fjord.controller.coordination;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A live session with the coordination engine. Every method may be called from any thread and
 * blocks for at most the engine's request time-out; failures throw {@link CoordinationException}.
 * Watch callbacks run one at a time, in the order the changes were committed, on the engine's
 * event thread, and must return quickly.
 *
 * <p>Entries are addressed by slash-separated paths ({@link ClusterPaths}); an entry may have data
 * and children at once.
 */
public interface CoordinationSession extends AutoCloseable {

    /**
     * Registers a live broker: an entry at {@code /brokers/ids/<id>} holding {@code registration},
     * removed by the engine when this session ends. Registering again in the same session replaces
     * the entry.
     *
     * @return the broker epoch: the creation stamp of the entry, larger than that of any earlier
     *         registration of any broker
     * @throws CoordinationException with {@link CoordinationException.Reason#ID_IN_USE} when another
     *                               live session holds the id
     */
    long registerBroker(int brokerId, byte[] registration);

    /** Removes this session's registration of {@code brokerId}, if it holds it. */
    void unregisterBroker(int brokerId);

    /**
     * Runs for controller: if no controller is active, atomically records {@code brokerId} as the
     * controller (an entry that dies with this session) and bumps the controller epoch.
     *
     * @return the lease when this broker won, empty when another controller is active
     */
    Optional<ControllerLease> tryElectController(int brokerId);

    /** The active controller's broker id, or empty when there is none. */
    OptionalInt activeController();

    /**
     * Gives up the controller role if {@code lease} is still current (used on controlled shutdown,
     * so another broker is elected at once rather than at session expiry).
     */
    void resignController(ControllerLease lease);

    /** The entry at {@code path}, or empty if there is none. */
    Optional<Versioned> read(String path);

    /** The names (not paths) of the children of {@code path}, sorted; empty if it has none or does not exist. */
    List<String> children(String path);

    /**
     * Calls {@code onChange} after every change of the given scope at {@code path}, until the
     * returned handle is closed. The callback carries no data: the caller reads what it needs, so
     * changes made while it was reading are never lost, only coalesced.
     */
    AutoCloseable watch(String path, WatchScope scope, Runnable onChange);

    /**
     * Applies {@code ops} atomically: all of them or none.
     *
     * @throws CoordinationException with {@link CoordinationException.Reason#CONDITION_FAILED}
     *                               (and the failing path) when a version check, a create or a
     *                               delete fails
     */
    void write(List<Op> ops);

    /**
     * Applies {@code ops} atomically, on condition that {@code lease} is still the current
     * controller's: a deposed controller can never write.
     *
     * @throws CoordinationException with {@link CoordinationException.Reason#FENCED} when the lease
     *                               is no longer current, or as {@link #write(List)}
     */
    void write(ControllerLease lease, List<Op> ops);

    /**
     * Creates a persistent entry whose name is {@code prefix} followed by a number larger than any
     * given before under the same parent.
     *
     * @return the full path of the new entry
     */
    String createSequential(String prefix, byte[] data);

    /**
     * Takes the next block of {@code size} producer ids for {@code brokerId}, unique in the cluster
     * and never handed out again (Kafka's {@code /latest_producer_id_block}).
     */
    ProducerIdBlock allocateProducerIds(int brokerId, int size);

    /** Ends the session: this broker's registration and any controller election it holds go with it. */
    @Override
    void close();
}
