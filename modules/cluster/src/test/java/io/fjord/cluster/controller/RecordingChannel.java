package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.BrokerChannel;
import io.fjord.cluster.ControllerRequest;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.BrokerRegistration;

import java.util.ArrayList;
import java.util.List;

/** Keeps what a controller tells each broker, in order, so a test can check it. */
final class RecordingChannel implements BrokerChannel {

    record Sent(int broker, ControllerRequest request) {
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void send(BrokerRegistration broker, ControllerRequest request) {
        sent.add(new Sent(broker.id(), request));
    }

    synchronized List<Sent> all() {
        return List.copyOf(sent);
    }

    /** The latest leadership of {@code tp} told to {@code broker} in a LeaderAndIsr, or null. */
    synchronized PartitionLeadership lastLeadership(int broker, TopicPartition tp) {
        PartitionLeadership last = null;
        for (Sent s : sent) {
            if (s.broker() == broker && s.request() instanceof ControllerRequest.LeaderAndIsr l) {
                for (PartitionLeadership p : l.partitions()) {
                    if (p.topic().equals(tp.topic()) && p.partition() == tp.partition()) {
                        last = p;
                    }
                }
            }
        }
        return last;
    }

    /** Whether {@code broker} was told to stop {@code tp}, deleting it when {@code delete}. */
    synchronized boolean stopped(int broker, TopicPartition tp, boolean delete) {
        for (Sent s : sent) {
            if (s.broker() == broker && s.request() instanceof ControllerRequest.StopReplica r
                    && r.delete() == delete && r.partitions().contains(tp)) {
                return true;
            }
        }
        return false;
    }

    synchronized List<ControllerRequest> to(int broker) {
        List<ControllerRequest> out = new ArrayList<>();
        for (Sent s : sent) {
            if (s.broker() == broker) {
                out.add(s.request());
            }
        }
        return out;
    }

    @Override
    public void close() {
    }
}
