package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.cluster.state.PartitionState;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.LeaderAndIsrRequest;
import io.fjord.protocol.message.StopReplicaRequest;
import io.fjord.protocol.message.UpdateMetadataRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ControllerRequest}s to and from Kafka's wire requests: LeaderAndIsr v7, UpdateMetadata v8
 * and StopReplica v4, the newest of Kafka's ZooKeeper-mode controller requests.
 */
public final class ControllerMessages {

    public static final short LEADER_AND_ISR_VERSION = 7;
    public static final short UPDATE_METADATA_VERSION = 8;
    public static final short STOP_REPLICA_VERSION = 4;
    /** LeaderAndIsr's and UpdateMetadata's Type field: an incremental or a full state. */
    private static final byte INCREMENTAL = 0;
    private static final byte FULL = 1;
    private static final String LISTENER = "PLAINTEXT";
    private static final short PLAINTEXT = 0;

    private ControllerMessages() {
    }

    /** The wire request of {@code request}. */
    public static ApiMessage toWire(ControllerRequest request) {
        if (request instanceof ControllerRequest.LeaderAndIsr r) {
            return leaderAndIsr(r);
        }
        if (request instanceof ControllerRequest.UpdateMetadata r) {
            return updateMetadata(r);
        }
        return stopReplica((ControllerRequest.StopReplica) request);
    }

    /** The version each request is sent at. */
    public static short version(ControllerRequest request) {
        if (request instanceof ControllerRequest.LeaderAndIsr) {
            return LEADER_AND_ISR_VERSION;
        }
        return request instanceof ControllerRequest.UpdateMetadata ? UPDATE_METADATA_VERSION : STOP_REPLICA_VERSION;
    }

    private static LeaderAndIsrRequest leaderAndIsr(ControllerRequest.LeaderAndIsr r) {
        LeaderAndIsrRequest out = new LeaderAndIsrRequest().setControllerId(r.controllerId())
                .setControllerEpoch(r.controllerEpoch()).setBrokerEpoch(r.brokerEpoch())
                .setType(r.full() ? FULL : INCREMENTAL);
        Map<String, LeaderAndIsrRequest.LeaderAndIsrTopicState> topics = new LinkedHashMap<>();
        for (PartitionLeadership p : r.partitions()) {
            topics.computeIfAbsent(p.topic(), t -> {
                LeaderAndIsrRequest.LeaderAndIsrTopicState s = new LeaderAndIsrRequest.LeaderAndIsrTopicState()
                        .setTopicName(t).setTopicId(p.topicId());
                out.topicStates().add(s);
                return s;
            }).partitionStates().add(new LeaderAndIsrRequest.LeaderAndIsrPartitionState()
                    .setPartitionIndex(p.partition()).setControllerEpoch(p.state().controllerEpoch())
                    .setLeader(p.state().leader()).setLeaderEpoch(p.state().leaderEpoch())
                    .setIsr(new ArrayList<>(p.state().isr())).setPartitionEpoch(p.state().partitionEpoch())
                    .setReplicas(new ArrayList<>(p.replicas())).setAddingReplicas(new ArrayList<>(p.adding()))
                    .setRemovingReplicas(new ArrayList<>(p.removing())).setIsNew(p.isNew())
                    .setLeaderRecoveryState((byte) (p.state().recovering() ? 1 : 0)));
        }
        for (BrokerRegistration b : r.leaders()) {
            out.liveLeaders().add(new LeaderAndIsrRequest.LeaderAndIsrLiveLeader().setBrokerId(b.id())
                    .setHostName(b.host()).setPort(b.port()));
        }
        return out;
    }

    private static UpdateMetadataRequest updateMetadata(ControllerRequest.UpdateMetadata r) {
        UpdateMetadataRequest out = new UpdateMetadataRequest().setControllerId(r.controllerId())
                .setControllerEpoch(r.controllerEpoch()).setBrokerEpoch(r.brokerEpoch())
                .setType(r.full() ? FULL : INCREMENTAL);
        Map<String, UpdateMetadataRequest.UpdateMetadataTopicState> topics = new LinkedHashMap<>();
        List<Integer> live = r.liveBrokers().stream().map(BrokerRegistration::id).toList();
        for (PartitionLeadership p : r.partitions()) {
            topics.computeIfAbsent(p.topic(), t -> {
                UpdateMetadataRequest.UpdateMetadataTopicState s = new UpdateMetadataRequest.UpdateMetadataTopicState()
                        .setTopicName(t).setTopicId(p.topicId());
                out.topicStates().add(s);
                return s;
            }).partitionStates().add(new UpdateMetadataRequest.UpdateMetadataPartitionState()
                    .setPartitionIndex(p.partition()).setControllerEpoch(p.state().controllerEpoch())
                    .setLeader(p.state().leader()).setLeaderEpoch(p.state().leaderEpoch())
                    .setIsr(new ArrayList<>(p.state().isr())).setZkVersion(p.state().partitionEpoch())
                    .setReplicas(new ArrayList<>(p.replicas()))
                    .setOfflineReplicas(new ArrayList<>(p.replicas().stream().filter(x -> !live.contains(x)).toList())));
        }
        for (BrokerRegistration b : r.liveBrokers()) {
            UpdateMetadataRequest.UpdateMetadataBroker broker = new UpdateMetadataRequest.UpdateMetadataBroker()
                    .setId(b.id()).setRack(b.rack());
            broker.endpoints().add(new UpdateMetadataRequest.UpdateMetadataEndpoint().setHost(b.host())
                    .setPort(b.port()).setListener(LISTENER).setSecurityProtocol(PLAINTEXT));
            out.liveBrokers().add(broker);
        }
        return out;
    }

    private static StopReplicaRequest stopReplica(ControllerRequest.StopReplica r) {
        StopReplicaRequest out = new StopReplicaRequest().setControllerId(r.controllerId())
                .setControllerEpoch(r.controllerEpoch()).setBrokerEpoch(r.brokerEpoch());
        Map<String, StopReplicaRequest.StopReplicaTopicState> topics = new LinkedHashMap<>();
        for (int i = 0; i < r.partitions().size(); i++) {
            TopicPartition tp = r.partitions().get(i);
            topics.computeIfAbsent(tp.topic(), t -> {
                StopReplicaRequest.StopReplicaTopicState s = new StopReplicaRequest.StopReplicaTopicState().setTopicName(t);
                out.topicStates().add(s);
                return s;
            }).partitionStates().add(new StopReplicaRequest.StopReplicaPartitionState()
                    .setPartitionIndex(tp.partition()).setLeaderEpoch(r.leaderEpochs().get(i))
                    .setDeletePartition(r.delete()));
        }
        return out;
    }

    /** A LeaderAndIsr from the wire. */
    public static ControllerRequest.LeaderAndIsr fromWire(LeaderAndIsrRequest in) {
        List<PartitionLeadership> partitions = new ArrayList<>();
        for (LeaderAndIsrRequest.LeaderAndIsrTopicState t : in.topicStates()) {
            for (LeaderAndIsrRequest.LeaderAndIsrPartitionState p : t.partitionStates()) {
                partitions.add(new PartitionLeadership(t.topicName(), t.topicId(), p.partitionIndex(),
                        new PartitionState(p.leader(), p.leaderEpoch(), p.isr(), p.controllerEpoch(), p.partitionEpoch(),
                                p.leaderRecoveryState() == 1),
                        p.replicas(), p.addingReplicas(), p.removingReplicas(), p.isNew()));
            }
        }
        List<BrokerRegistration> leaders = new ArrayList<>();
        for (LeaderAndIsrRequest.LeaderAndIsrLiveLeader l : in.liveLeaders()) {
            leaders.add(new BrokerRegistration(l.brokerId(), -1, l.hostName(), l.port(), null));
        }
        return new ControllerRequest.LeaderAndIsr(in.controllerId(), in.controllerEpoch(), in.brokerEpoch(),
                in.type() == FULL, partitions, leaders);
    }

    /** An UpdateMetadata from the wire. */
    public static ControllerRequest.UpdateMetadata fromWire(UpdateMetadataRequest in) {
        List<PartitionLeadership> partitions = new ArrayList<>();
        for (UpdateMetadataRequest.UpdateMetadataTopicState t : in.topicStates()) {
            for (UpdateMetadataRequest.UpdateMetadataPartitionState p : t.partitionStates()) {
                partitions.add(new PartitionLeadership(t.topicName(), t.topicId(), p.partitionIndex(),
                        new PartitionState(p.leader(), p.leaderEpoch(), p.isr(), p.controllerEpoch(), p.zkVersion(), false),
                        p.replicas(), List.of(), List.of(), false));
            }
        }
        List<BrokerRegistration> brokers = new ArrayList<>();
        for (UpdateMetadataRequest.UpdateMetadataBroker b : in.liveBrokers()) {
            UpdateMetadataRequest.UpdateMetadataEndpoint e = b.endpoints().isEmpty() ? null : b.endpoints().get(0);
            brokers.add(new BrokerRegistration(b.id(), -1, e == null ? "" : e.host(), e == null ? -1 : e.port(), b.rack()));
        }
        return new ControllerRequest.UpdateMetadata(in.controllerId(), in.controllerEpoch(), in.brokerEpoch(),
                in.type() == FULL, brokers, partitions);
    }

    /** A StopReplica from the wire; partitions with and without deletion become two requests. */
    public static List<ControllerRequest.StopReplica> fromWire(StopReplicaRequest in) {
        List<TopicPartition> keep = new ArrayList<>();
        List<Integer> keepEpochs = new ArrayList<>();
        List<TopicPartition> delete = new ArrayList<>();
        List<Integer> deleteEpochs = new ArrayList<>();
        for (StopReplicaRequest.StopReplicaTopicState t : in.topicStates()) {
            for (StopReplicaRequest.StopReplicaPartitionState p : t.partitionStates()) {
                (p.deletePartition() ? delete : keep).add(new TopicPartition(t.topicName(), p.partitionIndex()));
                (p.deletePartition() ? deleteEpochs : keepEpochs).add(p.leaderEpoch());
            }
        }
        List<ControllerRequest.StopReplica> out = new ArrayList<>(2);
        if (!keep.isEmpty()) {
            out.add(new ControllerRequest.StopReplica(in.controllerId(), in.controllerEpoch(), in.brokerEpoch(), false,
                    keep, keepEpochs));
        }
        if (!delete.isEmpty()) {
            out.add(new ControllerRequest.StopReplica(in.controllerId(), in.controllerEpoch(), in.brokerEpoch(), true,
                    delete, deleteEpochs));
        }
        if (out.isEmpty()) {
            out.add(new ControllerRequest.StopReplica(in.controllerId(), in.controllerEpoch(), in.brokerEpoch(), false,
                    List.of(), List.of()));
        }
        return out;
    }
}
