package io.fjord.cluster.controller;

import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Kafka's leader election rules, one per reason a partition needs a leader. Each picks from the
 * assigned replicas in assignment order, so the preferred replica wins whenever it is eligible.
 */
final class LeaderElection {

    private LeaderElection() {
    }

    /**
     * A partition without a live leader: the first live replica in the ISR; with unclean election
     * allowed and none such, the first live replica at all (the caller sets the ISR to it alone and
     * marks the partition recovering).
     */
    static OptionalInt offline(List<Integer> replicas, Collection<Integer> isr, Set<Integer> live, boolean unclean) {
        OptionalInt clean = first(replicas, r -> live.contains(r) && isr.contains(r));
        if (clean.isPresent() || !unclean) {
            return clean;
        }
        return first(replicas, live::contains);
    }

    /** A reassignment moving leadership into the target replicas: the first live target in the ISR. */
    static OptionalInt reassignment(List<Integer> targetReplicas, Collection<Integer> isr, Set<Integer> live) {
        return first(targetReplicas, r -> live.contains(r) && isr.contains(r));
    }

    /** A preferred election: the first assigned replica, if it is live and in the ISR. */
    static OptionalInt preferred(List<Integer> replicas, Collection<Integer> isr, Set<Integer> live) {
        int preferred = replicas.get(0);
        return live.contains(preferred) && isr.contains(preferred) ? OptionalInt.of(preferred) : OptionalInt.empty();
    }

    /** A leader that is shutting down: the first live ISR member that is not shutting down. */
    static OptionalInt controlledShutdown(List<Integer> replicas, Collection<Integer> isr, Set<Integer> live,
            Set<Integer> shuttingDown) {
        return first(replicas, r -> live.contains(r) && isr.contains(r) && !shuttingDown.contains(r));
    }

    private static OptionalInt first(List<Integer> replicas, java.util.function.IntPredicate eligible) {
        for (int r : replicas) {
            if (eligible.test(r)) {
                return OptionalInt.of(r);
            }
        }
        return OptionalInt.empty();
    }
}
