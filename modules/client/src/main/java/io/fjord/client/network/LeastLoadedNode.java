package io.fjord.client.network;

import java.util.Collection;
import java.util.List;

/**
 * Which broker to ask a question any broker can answer (Metadata, FindCoordinator, most admin
 * calls): the known broker with the fewest requests in flight, a connected one before one that is
 * not. Ties go round the brokers as failures turn the rotation, so a dead broker is not asked again
 * and again. Once as many requests in a row have failed as there are known brokers, all of them
 * may be gone (they died after the client last heard of the cluster): the bootstrap servers are
 * asked in turn until one answers, as Kafka's clients do under
 * {@code metadata.recovery.strategy=rebootstrap}.
 *
 * <p>Thread-safe in the way that matters: the counters are hints, and a race only picks another node.
 */
public final class LeastLoadedNode {

    private final NetworkClient client;
    private final int[] bootstrapNodes;
    private volatile int rotation;
    private volatile int failuresInARow;

    /** @param bootstrapNodes the ids the client gave the bootstrap servers */
    public LeastLoadedNode(NetworkClient client, int[] bootstrapNodes) {
        this.client = client;
        this.bootstrapNodes = bootstrapNodes.clone();
    }

    /** The node to ask, given the brokers the latest metadata named. */
    public int choose(Collection<Integer> known) {
        if (known.isEmpty() || failuresInARow >= known.size()) {
            return bootstrapNodes[Math.floorMod(rotation, bootstrapNodes.length)];
        }
        List<Integer> ids = known.stream().sorted().toList();
        int offset = Math.floorMod(rotation, ids.size());
        int best = -1;
        int least = Integer.MAX_VALUE;
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get((i + offset) % ids.size());
            int load = client.pendingRequests(id) + (client.isReady(id) ? 0 : 1);
            if (load < least) {
                least = load;
                best = id;
            }
        }
        return best;
    }

    /** A request to the chosen node failed: the next choice turns to another. */
    public void failed() {
        rotation++;
        failuresInARow++;
    }

    /** A request was answered: the known brokers are worth asking again. */
    public void succeeded() {
        failuresInARow = 0;
    }
}
