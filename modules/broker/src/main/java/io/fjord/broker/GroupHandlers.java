package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.CommittedOffset;
import io.fjord.coordinator.GroupCoordinator;
import io.fjord.coordinator.GroupDescription;
import io.fjord.coordinator.GroupOverview;
import io.fjord.coordinator.GroupState;
import io.fjord.coordinator.JoinGroupRequest;
import io.fjord.coordinator.JoinGroupResult;
import io.fjord.coordinator.JoinProtocol;
import io.fjord.coordinator.LeaveGroupResult;
import io.fjord.coordinator.ListGroupsResult;
import io.fjord.coordinator.MemberIdentity;
import io.fjord.coordinator.OffsetDeleteResult;
import io.fjord.coordinator.OffsetFetchResult;
import io.fjord.coordinator.PartitionOffset;
import io.fjord.network.NetworkRequest;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.fjord.broker.RequestDispatcher.respond;

/**
 * The group APIs on the wire: each handler maps a decoded request to a {@link GroupCoordinator}
 * call and its result to the response layout of the request's version. Parked joins and syncs
 * are answered from the coordinator's callback, on whichever thread completes them.
 *
 * <p>Buffer ownership: request bytes (protocol metadata, assignments) are copied before they
 * reach the coordinator, since the request frame is released once the handler returns.
 */
final class GroupHandlers {

    /** FindCoordinator's key type of a transactional id, which has no coordinator here. */
    private static final byte TRANSACTION_KEY_TYPE = 1;
    /** The group type of KIP-848's ListGroups v5: every group here speaks the classic protocol. */
    private static final String CLASSIC_GROUP_TYPE = "classic";

    private final Broker broker;

    GroupHandlers(Broker broker) {
        this.broker = broker;
    }

    private GroupCoordinator coordinator() {
        return broker.groupCoordinator();
    }

    void findCoordinator(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.FIND_COORDINATOR);
        Errors error = body.getByte("key_type") == TRANSACTION_KEY_TYPE ? Errors.COORDINATOR_NOT_AVAILABLE
                : coordinator().findCoordinator(body.getString("key"));
        response.set("error_code", error.code());
        if (error == Errors.NONE) {
            response.set("node_id", broker.config().nodeId());
            response.set("host", broker.advertisedHost());
            response.set("port", broker.advertisedPort());
        } else {
            response.set("error_message", error.defaultMessage());
            response.set("node_id", -1);
            response.set("host", "");
            response.set("port", -1);
        }
        respond(request, response);
    }

    void joinGroup(NetworkRequest request, Struct body) {
        List<JoinProtocol> protocols = new ArrayList<>();
        for (Struct p : body.getStructArray("protocols")) {
            protocols.add(new JoinProtocol(p.getString("name"), copy(p.getBytes("metadata"))));
        }
        short version = request.header().apiVersion();
        JoinGroupRequest join = new JoinGroupRequest(body.getString("group_id"), body.getString("member_id"),
                body.getString("group_instance_id"), clientId(request), clientHost(request.remoteAddress()),
                body.getInt("rebalance_timeout_ms"), body.getInt("session_timeout_ms"),
                body.getString("protocol_type"), protocols, version >= 4);
        coordinator().joinGroup(join, result -> respond(request, joinResponse(result)));
    }

    private static Struct joinResponse(JoinGroupResult result) {
        Struct response = MessageCodec.newResponse(ApiKeys.JOIN_GROUP);
        response.set("error_code", result.error().code());
        response.set("generation_id", result.generationId());
        // Not nullable before v7: "" stands for no protocol.
        response.set("protocol_name", result.protocolName() == null ? "" : result.protocolName());
        response.set("leader", result.leaderId() == null ? "" : result.leaderId());
        response.set("member_id", result.memberId() == null ? "" : result.memberId());
        for (JoinGroupResult.Member m : result.members()) {
            response.addElement("members")
                    .set("member_id", m.memberId())
                    .set("group_instance_id", m.groupInstanceId())
                    .set("metadata", ByteBuffer.wrap(m.metadata()));
        }
        return response;
    }

    void syncGroup(NetworkRequest request, Struct body) {
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        for (Struct a : body.getStructArray("assignments")) {
            assignments.put(a.getString("member_id"), copy(a.getBytes("assignment")));
        }
        coordinator().syncGroup(body.getString("group_id"), body.getInt("generation_id"), body.getString("member_id"),
                body.getString("group_instance_id"), assignments, result -> {
                    Struct response = MessageCodec.newResponse(ApiKeys.SYNC_GROUP);
                    response.set("error_code", result.error().code());
                    response.set("assignment", ByteBuffer.wrap(result.assignment()));
                    respond(request, response);
                });
    }

    void heartbeat(NetworkRequest request, Struct body) {
        Errors error = coordinator().heartbeat(body.getString("group_id"), body.getString("member_id"),
                body.getString("group_instance_id"), body.getInt("generation_id"));
        Struct response = MessageCodec.newResponse(ApiKeys.HEARTBEAT);
        response.set("error_code", error.code());
        respond(request, response);
    }

    void leaveGroup(NetworkRequest request, Struct body) {
        boolean batched = request.header().apiVersion() >= 3;
        List<MemberIdentity> leaving = new ArrayList<>();
        if (batched) {
            for (Struct m : body.getStructArray("members")) {
                leaving.add(new MemberIdentity(m.getString("member_id"), m.getString("group_instance_id")));
            }
        } else {
            leaving.add(new MemberIdentity(body.getString("member_id"), null));
        }
        LeaveGroupResult result = coordinator().leaveGroup(body.getString("group_id"), leaving);
        Struct response = MessageCodec.newResponse(ApiKeys.LEAVE_GROUP);
        if (!batched) {
            Errors error = result.error() != Errors.NONE ? result.error() : result.memberErrors().get(0);
            response.set("error_code", error.code());
        } else {
            response.set("error_code", result.error().code());
            for (int i = 0; i < result.memberErrors().size(); i++) {
                response.addElement("members")
                        .set("member_id", leaving.get(i).memberId())
                        .set("group_instance_id", leaving.get(i).groupInstanceId())
                        .set("error_code", result.memberErrors().get(i).code());
            }
        }
        respond(request, response);
    }

    void offsetCommit(NetworkRequest request, Struct body) {
        Map<TopicPartition, PartitionOffset> offsets = new LinkedHashMap<>();
        // A negative partition index cannot name a partition: answered without reaching the coordinator.
        List<Map.Entry<String, Integer>> invalid = new ArrayList<>();
        for (Struct t : body.getStructArray("topics")) {
            for (Struct p : t.getStructArray("partitions")) {
                int partition = p.getInt("partition_index");
                if (partition < 0) {
                    invalid.add(Map.entry(t.getString("name"), partition));
                    continue;
                }
                offsets.put(new TopicPartition(t.getString("name"), partition), new PartitionOffset(
                        p.getLong("committed_offset"), p.getInt("committed_leader_epoch"),
                        p.getString("committed_metadata")));
            }
        }
        coordinator().commitOffsets(body.getString("group_id"), body.getString("member_id"),
                body.getString("group_instance_id"), body.getInt("generation_id_or_member_epoch"), offsets,
                results -> {
                    Struct response = MessageCodec.newResponse(ApiKeys.OFFSET_COMMIT);
                    Map<String, Struct> topics = new LinkedHashMap<>();
                    for (Map.Entry<TopicPartition, Errors> e : results.entrySet()) {
                        topics.computeIfAbsent(e.getKey().topic(),
                                name -> response.addElement("topics").set("name", name))
                                .addElement("partitions")
                                .set("partition_index", e.getKey().partition())
                                .set("error_code", e.getValue().code());
                    }
                    for (Map.Entry<String, Integer> e : invalid) {
                        topics.computeIfAbsent(e.getKey(), name -> response.addElement("topics").set("name", name))
                                .addElement("partitions")
                                .set("partition_index", e.getValue())
                                .set("error_code", Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    }
                    respond(request, response);
                });
    }

    void offsetFetch(NetworkRequest request, Struct body) {
        short version = request.header().apiVersion();
        List<Struct> requested = body.getStructArray("topics");
        List<TopicPartition> partitions = null;
        if (requested != null) {
            partitions = new ArrayList<>();
            for (Struct t : requested) {
                for (int p : t.getIntArray("partition_indexes")) {
                    if (p >= 0) {
                        partitions.add(new TopicPartition(t.getString("name"), p));
                    }
                }
            }
        }
        OffsetFetchResult result = coordinator().fetchOffsets(body.getString("group_id"), partitions);
        Struct response = MessageCodec.newResponse(ApiKeys.OFFSET_FETCH);
        // Before v2 there is no group-level error: it goes into every partition.
        Errors partitionError = version < 2 ? result.error() : Errors.NONE;
        response.set("error_code", result.error().code());
        Map<String, Struct> topics = new LinkedHashMap<>();
        Iterable<TopicPartition> answered = result.error() == Errors.NONE || partitions == null
                ? result.offsets().keySet() : partitions;
        for (TopicPartition tp : answered) {
            CommittedOffset o = result.offsets().get(tp);
            topics.computeIfAbsent(tp.topic(), name -> response.addElement("topics").set("name", name))
                    .addElement("partitions")
                    .set("partition_index", tp.partition())
                    .set("committed_offset", o == null ? -1L : o.offset())
                    .set("committed_leader_epoch", o == null ? -1 : o.leaderEpoch())
                    .set("metadata", o == null ? "" : o.metadata())
                    .set("error_code", partitionError.code());
        }
        respond(request, response);
    }

    /**
     * ListGroups; from v4 filtered by state, from v5 by type. Every group here is a classic group,
     * so a type filter without "classic" lists none; a state filter naming only states classic
     * groups never have (KIP-848's) lists none as well.
     */
    void listGroups(NetworkRequest request, Struct body) {
        short version = request.header().apiVersion();
        List<String> stateNames = version >= 4 ? body.getArray("states_filter") : List.of();
        List<String> typeNames = version >= 5 ? body.getArray("types_filter") : List.of();
        Set<GroupState> states = GroupCoordinator.statesFilter(stateNames);
        boolean none = (!stateNames.isEmpty() && states.isEmpty())
                || (!typeNames.isEmpty() && typeNames.stream().noneMatch(CLASSIC_GROUP_TYPE::equalsIgnoreCase));
        ListGroupsResult result = coordinator().listGroups(states);
        Struct response = MessageCodec.newResponse(ApiKeys.LIST_GROUPS);
        response.set("error_code", result.error().code());
        if (!none) {
            for (GroupOverview g : result.groups()) {
                response.addElement("groups")
                        .set("group_id", g.groupId())
                        .set("protocol_type", g.protocolType())
                        .set("group_state", g.state().kafkaName())
                        .set("group_type", CLASSIC_GROUP_TYPE);
            }
        }
        respond(request, response);
    }

    void describeGroups(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.DESCRIBE_GROUPS);
        List<String> ids = body.getArray("groups");
        boolean notFoundAsError = request.header().apiVersion() >= 6;
        for (String id : ids) {
            GroupDescription d = coordinator().describeGroup(id);
            Errors error = d.error();
            // Before v6 an unknown group is described as Dead; from v6 it is an error (KIP-1043).
            if (notFoundAsError && error == Errors.NONE && d.state() == GroupState.DEAD) {
                error = Errors.GROUP_ID_NOT_FOUND;
            }
            Struct g = response.addElement("groups")
                    .set("error_code", error.code())
                    .set("error_message", error == Errors.NONE ? null
                            : error == Errors.GROUP_ID_NOT_FOUND ? "Group " + id + " not found." : error.defaultMessage())
                    .set("group_id", id)
                    .set("group_state", d.state().kafkaName())
                    .set("protocol_type", d.protocolType())
                    .set("protocol_data", d.protocolData() == null ? "" : d.protocolData());
            for (GroupDescription.Member m : d.members()) {
                g.addElement("members")
                        .set("member_id", m.memberId())
                        .set("group_instance_id", m.groupInstanceId())
                        .set("client_id", m.clientId())
                        .set("client_host", m.clientHost())
                        .set("member_metadata", ByteBuffer.wrap(m.metadata()))
                        .set("member_assignment", ByteBuffer.wrap(m.assignment()));
            }
        }
        respond(request, response);
    }

    void deleteGroups(NetworkRequest request, Struct body) {
        List<String> ids = body.getArray("groups_names");
        coordinator().deleteGroups(ids, results -> {
            Struct response = MessageCodec.newResponse(ApiKeys.DELETE_GROUPS);
            for (Map.Entry<String, Errors> e : results.entrySet()) {
                response.addElement("results")
                        .set("group_id", e.getKey())
                        .set("error_code", e.getValue().code());
            }
            respond(request, response);
        });
    }

    void offsetDelete(NetworkRequest request, Struct body) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Struct t : body.getStructArray("topics")) {
            for (Struct p : t.getStructArray("partitions")) {
                int partition = p.getInt("partition_index");
                if (partition >= 0) {
                    partitions.add(new TopicPartition(t.getString("name"), partition));
                }
            }
        }
        coordinator().deleteOffsets(body.getString("group_id"), partitions, (OffsetDeleteResult result) -> {
            Struct response = MessageCodec.newResponse(ApiKeys.OFFSET_DELETE);
            response.set("error_code", result.error().code());
            Map<String, Struct> topics = new LinkedHashMap<>();
            for (Map.Entry<TopicPartition, Errors> e : result.partitions().entrySet()) {
                topics.computeIfAbsent(e.getKey().topic(), name -> response.addElement("topics").set("name", name))
                        .addElement("partitions")
                        .set("partition_index", e.getKey().partition())
                        .set("error_code", e.getValue().code());
            }
            respond(request, response);
        });
    }

    private static String clientId(NetworkRequest request) {
        String id = request.header().clientId();
        return id == null ? "" : id;
    }

    /** Kafka's form of a member's host: the address with a leading slash, as {@code InetAddress.toString()}. */
    private static String clientHost(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "/" + inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    private static byte[] copy(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
