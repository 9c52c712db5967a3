package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.Frames;
import io.fjord.protocol.types.RawTaggedField;
import io.fjord.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The controller messages of Kafka's ZooKeeper mode, which Kafka 4 removed, so no Kafka class is
 * left to be their oracle: LeaderAndIsr v7, StopReplica v4, UpdateMetadata v8 and ControlledShutdown
 * v3, Kafka 3.9's last versions. Each message is checked against bytes worked out by hand from Kafka
 * 3.9's published schema ({@code clients/src/main/resources/common/message/*.json} at tag 3.9.0):
 * the fields in the schema's order, each in its flexible encoding (big-endian integers, a boolean
 * as one byte, a uuid as 16 bytes, a compact string or array as its length plus one in an unsigned
 * varint then the content, a null compact string as 0) and every struct ending with its tagged
 * fields (a count, then tag, size and value of each). The expected hex below is written field by
 * field, one comment per field, so each byte can be traced to the schema. Then every message
 * round-trips whole frames, keeps unknown tagged fields, and refuses every truncation.
 */
class ZooKeeperEraMessagesTest {

    private static final UUID TOPIC_ID = new UUID(1, 2);
    private static final String TOPIC_ID_HEX = "00000000000000010000000000000002";

    private static String hex(String... fields) {
        return String.join("", fields).replace(" ", "");
    }

    private static void assertBytes(String expectedHex, ApiMessage message, short version) {
        ByteBuffer bytes = MessageCodec.encodeBody(version, message).toByteBuffer();
        assertEquals(expectedHex, HexFormat.of().formatHex(bytes.array(), bytes.arrayOffset() + bytes.position(),
                bytes.arrayOffset() + bytes.limit()), message.getClass().getSimpleName() + " v" + version);
        ApiMessage back = isRequest(message)
                ? MessageCodec.readRequestBody(ApiKeys.forId(message.apiKey()), version, new WireReader(bytes.duplicate()))
                : MessageCodec.decodeResponseBody(ApiKeys.forId(message.apiKey()), version, new WireReader(bytes.duplicate()));
        assertEquals(message, back, "reads back to the same message");
    }

    private static boolean isRequest(ApiMessage message) {
        return message.getClass().getSimpleName().endsWith("Request");
    }

    static LeaderAndIsrRequest leaderAndIsr() {
        return new LeaderAndIsrRequest().setControllerId(1).setIsKRaftController(false).setControllerEpoch(5)
                .setBrokerEpoch(256).setType((byte) 1)
                .setTopicStates(List.of(new LeaderAndIsrRequest.LeaderAndIsrTopicState().setTopicName("t")
                        .setTopicId(TOPIC_ID)
                        .setPartitionStates(List.of(new LeaderAndIsrRequest.LeaderAndIsrPartitionState()
                                .setPartitionIndex(0).setControllerEpoch(5).setLeader(1).setLeaderEpoch(3)
                                .setIsr(List.of(1, 2)).setPartitionEpoch(7).setReplicas(List.of(1, 2))
                                .setAddingReplicas(List.of()).setRemovingReplicas(List.of()).setIsNew(true)
                                .setLeaderRecoveryState((byte) 0)))))
                .setLiveLeaders(List.of(new LeaderAndIsrRequest.LeaderAndIsrLiveLeader().setBrokerId(1)
                        .setHostName("h").setPort(9092)));
    }

    @Test
    void leaderAndIsrV7() {
        assertBytes(hex(
                "00000001", // ControllerId 1
                "00", // IsKRaftController false
                "00000005", // ControllerEpoch 5
                "0000000000000100", // BrokerEpoch 256
                "01", // Type 1 (incremental)
                "02", // TopicStates: 1 element
                "0274", // TopicName "t"
                TOPIC_ID_HEX, // TopicId
                "02", // PartitionStates: 1 element
                "00000000 00000005 00000001 00000003", // PartitionIndex 0, ControllerEpoch 5, Leader 1, LeaderEpoch 3
                "03 00000001 00000002", // Isr [1, 2]
                "00000007", // PartitionEpoch 7
                "03 00000001 00000002", // Replicas [1, 2]
                "01", // AddingReplicas []
                "01", // RemovingReplicas []
                "01", // IsNew true
                "00", // LeaderRecoveryState 0
                "00", // partition state: no tagged fields
                "00", // topic state: no tagged fields
                "02", // LiveLeaders: 1 element
                "00000001 0268 00002384", // BrokerId 1, HostName "h", Port 9092
                "00", // live leader: no tagged fields
                "00"), // request: no tagged fields
                leaderAndIsr(), (short) 7);
        LeaderAndIsrResponse response = new LeaderAndIsrResponse().setErrorCode((short) 0).setTopics(List.of(
                new LeaderAndIsrResponse.LeaderAndIsrTopicError().setTopicId(TOPIC_ID).setPartitionErrors(List.of(
                        new LeaderAndIsrResponse.LeaderAndIsrPartitionError().setPartitionIndex(0)
                                .setErrorCode(Errors.FENCED_LEADER_EPOCH.code())))));
        assertBytes(hex(
                "0000", // ErrorCode 0
                "02", // Topics: 1 element
                TOPIC_ID_HEX, // TopicId
                "02", // PartitionErrors: 1 element
                "00000000 004a", // PartitionIndex 0, ErrorCode 74 (FENCED_LEADER_EPOCH)
                "00", "00", "00"), // tagged fields of the partition, the topic and the response
                response, (short) 7);
    }

    static StopReplicaRequest stopReplica() {
        return new StopReplicaRequest().setControllerId(1).setControllerEpoch(5).setBrokerEpoch(256)
                .setTopicStates(List.of(new StopReplicaRequest.StopReplicaTopicState().setTopicName("t")
                        .setPartitionStates(List.of(new StopReplicaRequest.StopReplicaPartitionState()
                                .setPartitionIndex(0).setLeaderEpoch(3).setDeletePartition(true)))));
    }

    @Test
    void stopReplicaV4() {
        assertBytes(hex(
                "00000001", // ControllerId 1
                "00", // IsKRaftController false
                "00000005", // ControllerEpoch 5
                "0000000000000100", // BrokerEpoch 256
                "02", // TopicStates: 1 element
                "0274", // TopicName "t"
                "02", // PartitionStates: 1 element
                "00000000 00000003 01", // PartitionIndex 0, LeaderEpoch 3, DeletePartition true
                "00", "00", "00"), // tagged fields of the partition, the topic and the request
                stopReplica(), (short) 4);
        StopReplicaResponse response = new StopReplicaResponse().setErrorCode((short) 0).setPartitionErrors(List.of(
                new StopReplicaResponse.StopReplicaPartitionError().setTopicName("t").setPartitionIndex(0)
                        .setErrorCode(Errors.FENCED_LEADER_EPOCH.code())));
        assertBytes(hex(
                "0000", // ErrorCode 0
                "02", // PartitionErrors: 1 element
                "0274 00000000 004a", // TopicName "t", PartitionIndex 0, ErrorCode 74
                "00", "00"), // tagged fields of the partition and the response
                response, (short) 4);
    }

    static UpdateMetadataRequest updateMetadata() {
        return new UpdateMetadataRequest().setControllerId(1).setType((byte) 2).setControllerEpoch(5)
                .setBrokerEpoch(256)
                .setTopicStates(List.of(new UpdateMetadataRequest.UpdateMetadataTopicState().setTopicName("t")
                        .setTopicId(TOPIC_ID)
                        .setPartitionStates(List.of(new UpdateMetadataRequest.UpdateMetadataPartitionState()
                                .setPartitionIndex(0).setControllerEpoch(5).setLeader(1).setLeaderEpoch(3)
                                .setIsr(List.of(1)).setZkVersion(7).setReplicas(List.of(1))
                                .setOfflineReplicas(List.of())))))
                .setLiveBrokers(List.of(new UpdateMetadataRequest.UpdateMetadataBroker().setId(1)
                        .setEndpoints(List.of(new UpdateMetadataRequest.UpdateMetadataEndpoint().setPort(9092)
                                .setHost("h").setListener("PLAINTEXT").setSecurityProtocol((short) 0)))
                        .setRack(null)));
    }

    @Test
    void updateMetadataV8() {
        assertBytes(hex(
                "00000001", // ControllerId 1
                "00", // IsKRaftController false
                "00000005", // ControllerEpoch 5 (Type is tagged: written at the end)
                "0000000000000100", // BrokerEpoch 256
                "02", // TopicStates: 1 element
                "0274", // TopicName "t"
                TOPIC_ID_HEX, // TopicId
                "02", // PartitionStates: 1 element
                "00000000 00000005 00000001 00000003", // PartitionIndex 0, ControllerEpoch 5, Leader 1, LeaderEpoch 3
                "02 00000001", // Isr [1]
                "00000007", // ZkVersion 7
                "02 00000001", // Replicas [1]
                "01", // OfflineReplicas []
                "00", "00", // tagged fields of the partition and the topic
                "02", // LiveBrokers: 1 element
                "00000001", // Id 1
                "02", // Endpoints: 1 element
                "00002384 0268", // Port 9092, Host "h"
                "0a 504c41494e54455854", // Listener "PLAINTEXT"
                "0000", // SecurityProtocol 0 (PLAINTEXT)
                "00", // endpoint: no tagged fields
                "00", // Rack null
                "00", // broker: no tagged fields
                "01 00 01 02"), // request: 1 tagged field, tag 0 (Type), 1 byte, value 2 (full)
                updateMetadata(), (short) 8);
        assertBytes(hex("0000", "00"), new UpdateMetadataResponse(), (short) 8);
    }

    @Test
    void updateMetadataLeavesOutTypeAtItsDefault() {
        ByteBuffer bytes = MessageCodec.encodeBody((short) 8, updateMetadata().setType((byte) 0)).toByteBuffer();
        assertEquals(0, bytes.get(bytes.limit() - 1), "no tagged field at the end");
    }

    @Test
    void controlledShutdownV3() {
        assertBytes(hex(
                "00000002", // BrokerId 2
                "0000000000000100", // BrokerEpoch 256
                "00"), // no tagged fields
                new ControlledShutdownRequest().setBrokerId(2).setBrokerEpoch(256), (short) 3);
        ControlledShutdownResponse response = new ControlledShutdownResponse().setErrorCode((short) 0)
                .setRemainingPartitions(List.of(new ControlledShutdownResponse.RemainingPartition().setTopicName("t")
                        .setPartitionIndex(0)));
        assertBytes(hex(
                "0000", // ErrorCode 0
                "02", // RemainingPartitions: 1 element
                "0274 00000000", // TopicName "t", PartitionIndex 0
                "00", "00"), // tagged fields of the partition and the response
                response, (short) 3);
        assertEquals(-1L, new ControlledShutdownRequest().brokerEpoch(), "Kafka's default broker epoch");
    }

    private static List<ApiMessage> requests() {
        return List.of(leaderAndIsr(), stopReplica(), updateMetadata(),
                new ControlledShutdownRequest().setBrokerId(2).setBrokerEpoch(256));
    }

    @Test
    void wholeFramesRoundTripWithUnknownTagsInEveryStruct() {
        int correlationId = 0;
        for (ApiMessage request : requests()) {
            ApiKeys api = ApiKeys.forId(request.apiKey());
            short version = api.latestVersion();
            request.unknownTaggedFields().add(new RawTaggedField(90, ByteBuffer.wrap(new byte[] {7, 7})));
            RequestHeader header = new RequestHeader(api, version, ++correlationId, "controller-1");
            assertEquals(2, header.headerVersion(), api + " uses the flexible header");
            ByteBuffer frame = MessageCodec.encodeRequest(header, request).toByteBuffer();
            MessageCodec.DecodedRequest decoded = MessageCodec.decodeRequest(Frames.readWholeFrame(frame, 1 << 20));
            assertEquals(header, decoded.header());
            assertEquals(request, decoded.body());
            assertEquals(1, decoded.body().unknownTaggedFields().size());
        }
    }

    @Test
    void everyTruncationIsAnInvalidRequest() {
        for (ApiMessage request : requests()) {
            ApiKeys api = ApiKeys.forId(request.apiKey());
            ByteBuffer whole = MessageCodec.encodeRequest(new RequestHeader(api, api.latestVersion(), 1, "c"), request)
                    .toByteBuffer();
            ByteBuffer frame = Frames.readWholeFrame(whole, 1 << 20);
            for (int length = 0; length < frame.remaining(); length++) {
                ByteBuffer cut = frame.slice(0, length);
                assertEquals(Errors.INVALID_REQUEST, assertThrows(ProtocolException.class,
                        () -> MessageCodec.decodeRequest(cut)).error(), api + " cut at " + length);
            }
        }
    }

    @Test
    void onlyTheNewestVersionIsSpoken() {
        for (ApiMessage request : requests()) {
            ApiKeys api = ApiKeys.forId(request.apiKey());
            short older = (short) (api.latestVersion() - 1);
            assertEquals(Errors.UNSUPPORTED_VERSION, assertThrows(ProtocolException.class,
                    () -> MessageCodec.readRequestBody(api, older, new WireReader(ByteBuffer.allocate(64)))).error());
        }
    }
}
