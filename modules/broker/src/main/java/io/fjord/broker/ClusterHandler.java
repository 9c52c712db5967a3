package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.ClusterMember;
import io.fjord.cluster.ControllerMessages;
import io.fjord.cluster.ControllerRequest;
import io.fjord.cluster.controller.AlterPartitionResult;
import io.fjord.cluster.controller.ClusterController;
import io.fjord.cluster.controller.ElectionType;
import io.fjord.cluster.controller.ErrorAndMessage;
import io.fjord.cluster.controller.OngoingReassignment;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.controller.TopicImage;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.AlterPartitionReassignmentsRequest;
import io.fjord.protocol.message.AlterPartitionReassignmentsResponse;
import io.fjord.protocol.message.AlterPartitionRequest;
import io.fjord.protocol.message.AlterPartitionResponse;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ControlledShutdownRequest;
import io.fjord.protocol.message.ControlledShutdownResponse;
import io.fjord.protocol.message.ElectLeadersRequest;
import io.fjord.protocol.message.ElectLeadersResponse;
import io.fjord.protocol.message.LeaderAndIsrRequest;
import io.fjord.protocol.message.LeaderAndIsrResponse;
import io.fjord.protocol.message.ListPartitionReassignmentsRequest;
import io.fjord.protocol.message.ListPartitionReassignmentsResponse;
import io.fjord.protocol.message.StopReplicaRequest;
import io.fjord.protocol.message.StopReplicaResponse;
import io.fjord.protocol.message.UpdateMetadataRequest;
import io.fjord.protocol.message.UpdateMetadataResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * The cluster's own APIs on a cluster member: what the controller tells brokers (LeaderAndIsr,
 * UpdateMetadata, StopReplica) and what brokers and admins ask the controller (ControlledShutdown,
 * AlterPartition, ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments). A broker
 * that is not the active controller answers the latter with NOT_CONTROLLER, so clients look the
 * controller up again, as with Kafka.
 */
final class ClusterHandler implements ApiFamily {

    private final ClusterMember member;

    ClusterHandler(ClusterMember member) {
        this.member = member;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.LEADER_AND_ISR, LeaderAndIsrRequest.class, this::leaderAndIsr)
                .add(ApiKeys.UPDATE_METADATA, UpdateMetadataRequest.class, this::updateMetadata)
                .add(ApiKeys.STOP_REPLICA, StopReplicaRequest.class, this::stopReplica)
                .add(ApiKeys.CONTROLLED_SHUTDOWN, ControlledShutdownRequest.class, this::controlledShutdown)
                .add(ApiKeys.ALTER_PARTITION, AlterPartitionRequest.class, this::alterPartition)
                .add(ApiKeys.ELECT_LEADERS, ElectLeadersRequest.class, this::electLeaders)
                .add(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, AlterPartitionReassignmentsRequest.class, this::alterReassignments)
                .add(ApiKeys.LIST_PARTITION_REASSIGNMENTS, ListPartitionReassignmentsRequest.class, this::listReassignments);
    }

    void leaderAndIsr(NetworkRequest request, LeaderAndIsrRequest body) {
        ControllerRequest.LeaderAndIsr r = ControllerMessages.fromWire(body);
        ClusterMember.LeaderAndIsrResult result = member.leaderAndIsr(r);
        LeaderAndIsrResponse response = new LeaderAndIsrResponse().setErrorCode(result.error().code());
        Map<UUID, LeaderAndIsrResponse.LeaderAndIsrTopicError> topics = new LinkedHashMap<>();
        for (LeaderAndIsrRequest.LeaderAndIsrTopicState t : body.topicStates()) {
            for (LeaderAndIsrRequest.LeaderAndIsrPartitionState p : t.partitionStates()) {
                Errors e = result.partitions().getOrDefault(new TopicPartition(t.topicName(), p.partitionIndex()),
                        result.error());
                topics.computeIfAbsent(t.topicId(), id -> {
                    LeaderAndIsrResponse.LeaderAndIsrTopicError te = new LeaderAndIsrResponse.LeaderAndIsrTopicError()
                            .setTopicId(id);
                    response.topics().add(te);
                    return te;
                }).partitionErrors().add(new LeaderAndIsrResponse.LeaderAndIsrPartitionError()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(e.code()));
            }
        }
        Responses.send(request, response);
    }

    void updateMetadata(NetworkRequest request, UpdateMetadataRequest body) {
        Errors e = member.updateMetadata(ControllerMessages.fromWire(body));
        Responses.send(request, new UpdateMetadataResponse().setErrorCode(e.code()));
    }

    void stopReplica(NetworkRequest request, StopReplicaRequest body) {
        StopReplicaResponse response = new StopReplicaResponse();
        Errors top = Errors.NONE;
        for (ControllerRequest.StopReplica r : ControllerMessages.fromWire(body)) {
            Errors e = member.stopReplica(r);
            if (e != Errors.NONE) {
                top = e;
            }
            for (TopicPartition tp : r.partitions()) {
                response.partitionErrors().add(new StopReplicaResponse.StopReplicaPartitionError()
                        .setTopicName(tp.topic()).setPartitionIndex(tp.partition()).setErrorCode(e.code()));
            }
        }
        Responses.send(request, response.setErrorCode(top.code()));
    }

    void controlledShutdown(NetworkRequest request, ControlledShutdownRequest body) {
        member.controller().controlledShutdown(body.brokerId(), body.brokerEpoch()).whenComplete((remaining, error) -> {
            ControlledShutdownResponse response = new ControlledShutdownResponse().setErrorCode(errorOf(error).code());
            if (error == null) {
                for (TopicPartition tp : remaining) {
                    response.remainingPartitions().add(new ControlledShutdownResponse.RemainingPartition()
                            .setTopicName(tp.topic()).setPartitionIndex(tp.partition()));
                }
            }
            Responses.send(request, response);
        });
    }

    void alterPartition(NetworkRequest request, AlterPartitionRequest body) {
        short version = request.header().apiVersion();
        Map<TopicPartition, AlterPartitionResult.Proposal> proposals = new LinkedHashMap<>();
        Map<TopicPartition, UUID> ids = new LinkedHashMap<>();
        List<AlterPartitionResponse.TopicData> unknown = new ArrayList<>();
        for (AlterPartitionRequest.TopicData t : body.topics()) {
            TopicImage topic = member.store().image().topic(t.topicId());
            if (topic == null) {
                AlterPartitionResponse.TopicData td = new AlterPartitionResponse.TopicData().setTopicId(t.topicId());
                t.partitions().forEach(p -> td.partitions().add(new AlterPartitionResponse.PartitionData()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
                unknown.add(td);
                continue;
            }
            for (AlterPartitionRequest.PartitionData p : t.partitions()) {
                List<Integer> isr = new ArrayList<>();
                Map<Integer, Long> memberEpochs = new LinkedHashMap<>();
                if (version >= 3) {
                    p.newIsrWithEpochs().forEach(b -> {
                        isr.add(b.brokerId());
                        if (b.brokerEpoch() >= 0) {
                            memberEpochs.put(b.brokerId(), b.brokerEpoch());
                        }
                    });
                } else {
                    isr.addAll(p.newIsr());
                }
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                proposals.put(tp, new AlterPartitionResult.Proposal(p.leaderEpoch(), p.partitionEpoch(), isr,
                        p.leaderRecoveryState() == 1, memberEpochs));
                ids.put(tp, t.topicId());
            }
        }
        member.controller().alterPartition(body.brokerId(), body.brokerEpoch(), proposals).whenComplete((results, error) -> {
            AlterPartitionResponse response = new AlterPartitionResponse().setErrorCode(errorOf(error).code());
            if (error == null) {
                Map<UUID, AlterPartitionResponse.TopicData> byId = new LinkedHashMap<>();
                results.forEach((tp, r) -> {
                    AlterPartitionResponse.PartitionData pd = new AlterPartitionResponse.PartitionData()
                            .setPartitionIndex(tp.partition()).setErrorCode(r.error().code());
                    if (r.state() != null) {
                        pd.setLeaderId(r.state().leader()).setLeaderEpoch(r.state().leaderEpoch())
                                .setIsr(new ArrayList<>(r.state().isr())).setPartitionEpoch(r.state().partitionEpoch())
                                .setLeaderRecoveryState((byte) (r.state().recovering() ? 1 : 0));
                    }
                    byId.computeIfAbsent(ids.get(tp), id -> new AlterPartitionResponse.TopicData().setTopicId(id))
                            .partitions().add(pd);
                });
                response.topics().addAll(byId.values());
                response.topics().addAll(unknown);
            }
            Responses.send(request, response);
        });
    }

    void electLeaders(NetworkRequest request, ElectLeadersRequest body) {
        ElectionType type = request.header().apiVersion() == 0 ? ElectionType.PREFERRED : ElectionType.of(body.electionType());
        if (type == null) {
            Responses.send(request, new ElectLeadersResponse().setErrorCode(Errors.INVALID_REQUEST.code()));
            return;
        }
        Set<TopicPartition> partitions = null;
        if (body.topicPartitions() != null) {
            partitions = new HashSet<>();
            for (ElectLeadersRequest.TopicPartitions t : body.topicPartitions()) {
                for (int p : t.partitions()) {
                    partitions.add(new TopicPartition(t.topic(), p));
                }
            }
        }
        member.controller().electLeaders(type, partitions).whenComplete((results, error) -> {
            ElectLeadersResponse response = new ElectLeadersResponse().setErrorCode(errorOf(error).code());
            if (error == null) {
                Map<String, ElectLeadersResponse.ReplicaElectionResult> byTopic = new LinkedHashMap<>();
                results.forEach((tp, e) -> byTopic.computeIfAbsent(tp.topic(), t -> {
                    ElectLeadersResponse.ReplicaElectionResult r = new ElectLeadersResponse.ReplicaElectionResult().setTopic(t);
                    response.replicaElectionResults().add(r);
                    return r;
                }).partitionResult().add(new ElectLeadersResponse.PartitionResult().setPartitionId(tp.partition())
                        .setErrorCode(e.code()).setErrorMessage(e == Errors.NONE ? null : e.defaultMessage())));
            }
            Responses.send(request, response);
        });
    }

    void alterReassignments(NetworkRequest request, AlterPartitionReassignmentsRequest body) {
        Map<TopicPartition, Optional<List<Integer>>> targets = new LinkedHashMap<>();
        for (AlterPartitionReassignmentsRequest.ReassignableTopic t : body.topics()) {
            for (AlterPartitionReassignmentsRequest.ReassignablePartition p : t.partitions()) {
                targets.put(new TopicPartition(t.name(), p.partitionIndex()), Optional.ofNullable(p.replicas()));
            }
        }
        member.controller().alterReassignments(targets).whenComplete((results, error) -> {
            Errors top = errorOf(error);
            AlterPartitionReassignmentsResponse response = new AlterPartitionReassignmentsResponse()
                    .setErrorCode(top.code()).setErrorMessage(top == Errors.NONE ? null : top.defaultMessage());
            if (error == null) {
                Map<String, AlterPartitionReassignmentsResponse.ReassignableTopicResponse> byTopic = new LinkedHashMap<>();
                results.forEach((tp, r) -> byTopic.computeIfAbsent(tp.topic(), t -> {
                    AlterPartitionReassignmentsResponse.ReassignableTopicResponse rt =
                            new AlterPartitionReassignmentsResponse.ReassignableTopicResponse().setName(t);
                    response.responses().add(rt);
                    return rt;
                }).partitions().add(new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse()
                        .setPartitionIndex(tp.partition()).setErrorCode(r.error().code())
                        .setErrorMessage(messageOf(r))));
            }
            Responses.send(request, response);
        });
    }

    void listReassignments(NetworkRequest request, ListPartitionReassignmentsRequest body) {
        Set<TopicPartition> partitions = null;
        if (body.topics() != null) {
            partitions = new HashSet<>();
            for (ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics t : body.topics()) {
                for (int p : t.partitionIndexes()) {
                    partitions.add(new TopicPartition(t.name(), p));
                }
            }
        }
        member.controller().listReassignments(partitions).whenComplete((ongoing, error) -> {
            Errors top = errorOf(error);
            ListPartitionReassignmentsResponse response = new ListPartitionReassignmentsResponse()
                    .setErrorCode(top.code()).setErrorMessage(top == Errors.NONE ? null : top.defaultMessage());
            if (error == null) {
                Map<String, ListPartitionReassignmentsResponse.OngoingTopicReassignment> byTopic = new LinkedHashMap<>();
                ongoing.forEach((tp, o) -> byTopic.computeIfAbsent(tp.topic(), t -> {
                    ListPartitionReassignmentsResponse.OngoingTopicReassignment r =
                            new ListPartitionReassignmentsResponse.OngoingTopicReassignment().setName(t);
                    response.topics().add(r);
                    return r;
                }).partitions().add(ongoingPartition(tp, o)));
            }
            Responses.send(request, response);
        });
    }

    private static ListPartitionReassignmentsResponse.OngoingPartitionReassignment ongoingPartition(TopicPartition tp,
            OngoingReassignment o) {
        return new ListPartitionReassignmentsResponse.OngoingPartitionReassignment().setPartitionIndex(tp.partition())
                .setReplicas(new ArrayList<>(o.replicas())).setAddingReplicas(new ArrayList<>(o.adding()))
                .setRemovingReplicas(new ArrayList<>(o.removing()));
    }

    private static String messageOf(ErrorAndMessage r) {
        if (r.error() == Errors.NONE) {
            return null;
        }
        return r.message() != null ? r.message() : r.error().defaultMessage();
    }

    /** The Kafka error of a controller call's failure (NONE for success). */
    static Errors errorOf(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e == null) {
            return Errors.NONE;
        }
        if (e instanceof ApiException api) {
            return api.error();
        }
        return e instanceof ClusterController.NotControllerException ? Errors.NOT_CONTROLLER : Errors.UNKNOWN_SERVER_ERROR;
    }
}
