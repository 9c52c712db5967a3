package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.controller.BrokerNode;
import io.fjord.coordinator.GroupCoordinator;
import io.fjord.coordinator.GroupDescription;
import io.fjord.coordinator.GroupOverview;
import io.fjord.coordinator.GroupState;
import io.fjord.coordinator.JoinGroupResult;
import io.fjord.coordinator.JoinProtocol;
import io.fjord.coordinator.LeaveGroupResult;
import io.fjord.coordinator.ListGroupsResult;
import io.fjord.coordinator.MemberIdentity;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.DeleteGroupsRequest;
import io.fjord.protocol.message.DeleteGroupsResponse;
import io.fjord.protocol.message.DescribeGroupsRequest;
import io.fjord.protocol.message.DescribeGroupsResponse;
import io.fjord.protocol.message.FindCoordinatorRequest;
import io.fjord.protocol.message.FindCoordinatorResponse;
import io.fjord.protocol.message.HeartbeatRequest;
import io.fjord.protocol.message.HeartbeatResponse;
import io.fjord.protocol.message.JoinGroupRequest;
import io.fjord.protocol.message.JoinGroupResponse;
import io.fjord.protocol.message.LeaveGroupRequest;
import io.fjord.protocol.message.LeaveGroupResponse;
import io.fjord.protocol.message.ListGroupsRequest;
import io.fjord.protocol.message.ListGroupsResponse;
import io.fjord.protocol.message.SyncGroupRequest;
import io.fjord.protocol.message.SyncGroupResponse;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Set;

/**
 * The group membership APIs on the wire: FindCoordinator (0 to 6, batched from 4), JoinGroup (0 to
 * 9), SyncGroup, Heartbeat, LeaveGroup, ListGroups, DescribeGroups and DeleteGroups. Each maps a
 * decoded request to a {@link GroupCoordinator} call and its result to the response layout of the
 * request's version. Parked joins and syncs are answered from the coordinator's callback, on
 * whichever thread completes them.
 *
 * <p>Buffer ownership: request bytes (protocol metadata, assignments) are copied before they reach
 * the coordinator, since the request frame is released once the answer is sent.
 */
final class GroupHandler implements ApiFamily {

    /** FindCoordinator's key type of a consumer group; transactions and share groups have no coordinator here. */
    private static final byte GROUP_KEY_TYPE = 0;
    /** The first FindCoordinator version that asks for several keys at once. */
    private static final short FIRST_BATCHED_FIND_COORDINATOR = 4;
    /** The first JoinGroup version that can tell a returning static leader to skip the assignment. */
    private static final short FIRST_JOIN_GROUP_SKIPPING_ASSIGNMENT = 9;
    /** The group type of KIP-848's ListGroups v5: every group here speaks the classic protocol. */
    private static final String CLASSIC_GROUP_TYPE = "classic";

    private final GroupCoordinator coordinator;
    private final Function<String, BrokerNode> coordinatorNode;

    /**
     * @param coordinatorNode the broker coordinating a group: this one on a single node, in a cluster
     *                        the leader of the group's offsets partition (null while it has none)
     */
    GroupHandler(GroupCoordinator coordinator, Function<String, BrokerNode> coordinatorNode) {
        this.coordinator = coordinator;
        this.coordinatorNode = coordinatorNode;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.FIND_COORDINATOR, FindCoordinatorRequest.class, this::findCoordinator)
                .add(ApiKeys.JOIN_GROUP, JoinGroupRequest.class, this::joinGroup)
                .add(ApiKeys.SYNC_GROUP, SyncGroupRequest.class, this::syncGroup)
                .add(ApiKeys.HEARTBEAT, HeartbeatRequest.class, this::heartbeat)
                .add(ApiKeys.LEAVE_GROUP, LeaveGroupRequest.class, this::leaveGroup)
                .add(ApiKeys.LIST_GROUPS, ListGroupsRequest.class, this::listGroups)
                .add(ApiKeys.DESCRIBE_GROUPS, DescribeGroupsRequest.class, this::describeGroups)
                .add(ApiKeys.DELETE_GROUPS, DeleteGroupsRequest.class, this::deleteGroups);
    }

    void findCoordinator(NetworkRequest request, FindCoordinatorRequest body) {
        FindCoordinatorResponse response = new FindCoordinatorResponse();
        if (request.header().apiVersion() >= FIRST_BATCHED_FIND_COORDINATOR) {
            for (String key : body.coordinatorKeys()) {
                Errors error = coordinatorFor(body.keyType(), key);
                BrokerNode node = error == Errors.NONE ? coordinatorNode.apply(key) : null;
                if (error == Errors.NONE && node == null) {
                    error = Errors.COORDINATOR_NOT_AVAILABLE;
                }
                FindCoordinatorResponse.Coordinator c = new FindCoordinatorResponse.Coordinator().setKey(key)
                        .setErrorCode(error.code());
                if (error == Errors.NONE) {
                    c.setNodeId(node.id()).setHost(node.host()).setPort(node.port());
                } else {
                    c.setErrorMessage(error.defaultMessage()).setNodeId(-1).setHost("").setPort(-1);
                }
                response.coordinators().add(c);
            }
        } else {
            Errors error = coordinatorFor(body.keyType(), body.key());
            BrokerNode node = error == Errors.NONE ? coordinatorNode.apply(body.key()) : null;
            if (error == Errors.NONE && node == null) {
                error = Errors.COORDINATOR_NOT_AVAILABLE;
            }
            response.setErrorCode(error.code());
            if (error == Errors.NONE) {
                response.setNodeId(node.id()).setHost(node.host()).setPort(node.port());
            } else {
                response.setErrorMessage(error.defaultMessage()).setNodeId(-1).setHost("").setPort(-1);
            }
        }
        Responses.send(request, response);
    }

    private Errors coordinatorFor(byte keyType, String key) {
        return keyType == GROUP_KEY_TYPE ? coordinator.findCoordinator(key) : Errors.COORDINATOR_NOT_AVAILABLE;
    }

    void joinGroup(NetworkRequest request, JoinGroupRequest body) {
        List<JoinProtocol> protocols = new ArrayList<>();
        for (JoinGroupRequest.JoinGroupRequestProtocol p : body.protocols()) {
            protocols.add(new JoinProtocol(p.name(), copy(p.metadata())));
        }
        short version = request.header().apiVersion();
        io.fjord.coordinator.JoinGroupRequest join = new io.fjord.coordinator.JoinGroupRequest(body.groupId(),
                body.memberId(), body.groupInstanceId(), clientId(request), clientHost(request.remoteAddress()),
                body.rebalanceTimeoutMs(), body.sessionTimeoutMs(), body.protocolType(), protocols, version >= 4,
                version >= FIRST_JOIN_GROUP_SKIPPING_ASSIGNMENT);
        coordinator.joinGroup(join, result -> Responses.send(request, joinResponse(result, body.protocolType(), version)));
    }

    private static JoinGroupResponse joinResponse(JoinGroupResult result, String protocolType, short version) {
        boolean joined = result.error() == Errors.NONE;
        // Before v7 the protocol name may not be null: "" stands for no protocol.
        String noProtocol = version >= 7 ? null : "";
        JoinGroupResponse response = new JoinGroupResponse()
                .setErrorCode(result.error().code())
                .setGenerationId(result.generationId())
                .setProtocolType(joined ? protocolType : null)
                .setProtocolName(result.protocolName() == null ? noProtocol : result.protocolName())
                .setLeader(result.leaderId() == null ? "" : result.leaderId())
                .setMemberId(result.memberId() == null ? "" : result.memberId())
                .setSkipAssignment(result.skipAssignment());
        for (JoinGroupResult.Member m : result.members()) {
            response.members().add(new JoinGroupResponse.JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(ByteBuffer.wrap(m.metadata())));
        }
        return response;
    }

    void syncGroup(NetworkRequest request, SyncGroupRequest body) {
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        for (SyncGroupRequest.SyncGroupRequestAssignment a : body.assignments()) {
            assignments.put(a.memberId(), copy(a.assignment()));
        }
        coordinator.syncGroup(body.groupId(), body.generationId(), body.memberId(), body.groupInstanceId(), assignments,
                result -> Responses.send(request, new SyncGroupResponse()
                        .setErrorCode(result.error().code())
                        .setAssignment(ByteBuffer.wrap(result.assignment()))));
    }

    void heartbeat(NetworkRequest request, HeartbeatRequest body) {
        Errors error = coordinator.heartbeat(body.groupId(), body.memberId(), body.groupInstanceId(), body.generationId());
        Responses.send(request, new HeartbeatResponse().setErrorCode(error.code()));
    }

    void leaveGroup(NetworkRequest request, LeaveGroupRequest body) {
        boolean batched = request.header().apiVersion() >= 3;
        List<MemberIdentity> leaving = new ArrayList<>();
        if (batched) {
            for (LeaveGroupRequest.MemberIdentity m : body.members()) {
                leaving.add(new MemberIdentity(m.memberId(), m.groupInstanceId()));
            }
        } else {
            leaving.add(new MemberIdentity(body.memberId(), null));
        }
        LeaveGroupResult result = coordinator.leaveGroup(body.groupId(), leaving);
        LeaveGroupResponse response = new LeaveGroupResponse();
        if (!batched) {
            Errors error = result.error() != Errors.NONE ? result.error() : result.memberErrors().get(0);
            response.setErrorCode(error.code());
        } else {
            response.setErrorCode(result.error().code());
            for (int i = 0; i < result.memberErrors().size(); i++) {
                response.members().add(new LeaveGroupResponse.MemberResponse()
                        .setMemberId(leaving.get(i).memberId())
                        .setGroupInstanceId(leaving.get(i).groupInstanceId())
                        .setErrorCode(result.memberErrors().get(i).code()));
            }
        }
        Responses.send(request, response);
    }

    /**
     * ListGroups; from v4 filtered by state, from v5 by type. Every group here is a classic group,
     * so a type filter without "classic" lists none; a state filter naming only states classic
     * groups never have (KIP-848's) lists none as well.
     */
    void listGroups(NetworkRequest request, ListGroupsRequest body) {
        List<String> stateNames = body.statesFilter();
        List<String> typeNames = body.typesFilter();
        Set<GroupState> states = GroupCoordinator.statesFilter(stateNames);
        boolean none = (!stateNames.isEmpty() && states.isEmpty())
                || (!typeNames.isEmpty() && typeNames.stream().noneMatch(CLASSIC_GROUP_TYPE::equalsIgnoreCase));
        ListGroupsResult result = coordinator.listGroups(states);
        ListGroupsResponse response = new ListGroupsResponse().setErrorCode(result.error().code());
        if (!none) {
            for (GroupOverview g : result.groups()) {
                response.groups().add(new ListGroupsResponse.ListedGroup()
                        .setGroupId(g.groupId())
                        .setProtocolType(g.protocolType())
                        .setGroupState(g.state().kafkaName())
                        .setGroupType(CLASSIC_GROUP_TYPE));
            }
        }
        Responses.send(request, response);
    }

    void describeGroups(NetworkRequest request, DescribeGroupsRequest body) {
        DescribeGroupsResponse response = new DescribeGroupsResponse();
        boolean notFoundAsError = request.header().apiVersion() >= 6;
        for (String id : body.groups()) {
            GroupDescription d = coordinator.describeGroup(id);
            Errors error = d.error();
            // Before v6 an unknown group is described as Dead; from v6 it is an error (KIP-1043).
            if (notFoundAsError && error == Errors.NONE && d.state() == GroupState.DEAD) {
                error = Errors.GROUP_ID_NOT_FOUND;
            }
            DescribeGroupsResponse.DescribedGroup g = new DescribeGroupsResponse.DescribedGroup()
                    .setErrorCode(error.code())
                    .setErrorMessage(error == Errors.NONE ? null
                            : error == Errors.GROUP_ID_NOT_FOUND ? "Group " + id + " not found." : error.defaultMessage())
                    .setGroupId(id)
                    .setGroupState(d.state().kafkaName())
                    .setProtocolType(d.protocolType())
                    .setProtocolData(d.protocolData() == null ? "" : d.protocolData())
                    .setAuthorizedOperations(AuthorizedOperations.ifRequested(body.includeAuthorizedOperations(),
                            AuthorizedOperations.GROUP));
            for (GroupDescription.Member m : d.members()) {
                g.members().add(new DescribeGroupsResponse.DescribedGroupMember()
                        .setMemberId(m.memberId())
                        .setGroupInstanceId(m.groupInstanceId())
                        .setClientId(m.clientId())
                        .setClientHost(m.clientHost())
                        .setMemberMetadata(ByteBuffer.wrap(m.metadata()))
                        .setMemberAssignment(ByteBuffer.wrap(m.assignment())));
            }
            response.groups().add(g);
        }
        Responses.send(request, response);
    }

    void deleteGroups(NetworkRequest request, DeleteGroupsRequest body) {
        coordinator.deleteGroups(body.groupsNames(), results -> {
            DeleteGroupsResponse response = new DeleteGroupsResponse();
            for (Map.Entry<String, Errors> e : results.entrySet()) {
                response.results().add(new DeleteGroupsResponse.DeletableGroupResult()
                        .setGroupId(e.getKey()).setErrorCode(e.getValue().code()));
            }
            Responses.send(request, response);
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

    /** A copy of a slice of the request frame, which is released once the answer is sent. */
    static byte[] copy(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
