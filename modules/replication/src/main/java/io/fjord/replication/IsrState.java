package io.fjord.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * A leader's view of its in-sync replicas: the ISR the controller committed and, while an
 * AlterPartition is in flight, the one proposed. The maximal ISR is what the high watermark and
 * the acks=all answer wait for: the larger of the two, so a proposed expansion counts at once and
 * a proposed shrink does not count until committed (Kafka's PendingExpandIsr / PendingShrinkIsr).
 *
 * @param isr the committed ISR
 * @param maximal the committed ISR plus a pending expansion's new member
 * @param pending whether an AlterPartition is in flight
 */
record IsrState(List<Integer> isr, List<Integer> maximal, boolean pending) {

    IsrState {
        isr = List.copyOf(isr);
        maximal = List.copyOf(maximal);
    }

    static IsrState committed(List<Integer> isr) {
        return new IsrState(isr, isr, false);
    }

    static IsrState pending(List<Integer> committed, List<Integer> proposed, boolean expand) {
        if (!expand) {
            return new IsrState(committed, committed, true);
        }
        List<Integer> maximal = new ArrayList<>(committed);
        for (int replica : proposed) {
            if (!maximal.contains(replica)) {
                maximal.add(replica);
            }
        }
        return new IsrState(committed, maximal, true);
    }
}
