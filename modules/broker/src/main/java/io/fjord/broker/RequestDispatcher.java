package io.fjord.broker;

import io.fjord.network.NetworkRequest;
import io.fjord.network.RequestHandler;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.schema.Struct;
import io.fjord.protocol.types.WireReader;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker's API logic behind the socket server: decodes each request body and hands it to the
 * handler of its API key (Kafka's {@code KafkaApis}).
 *
 * <p>A body that does not decode closes the connection, as Kafka does, since no error body can be
 * trusted to parse on the client. The group APIs go to {@link GroupHandlers}. An advertised API
 * without a handler (the SASL ones) is answered with COORDINATOR_NOT_AVAILABLE where its layout
 * has a top-level error code; otherwise the connection is closed.
 */
final class RequestDispatcher implements RequestHandler {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());

    private final Broker broker;
    private final MetadataHandler metadata;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final AdminHandlers admin;
    private final GroupHandlers groups;

    RequestDispatcher(Broker broker) {
        this.broker = broker;
        this.metadata = new MetadataHandler(broker);
        this.produce = new ProduceHandler(broker);
        this.fetch = new FetchHandler(broker);
        this.listOffsets = new ListOffsetsHandler(broker);
        this.admin = new AdminHandlers(broker);
        this.groups = new GroupHandlers(broker);
    }

    @Override
    public void handle(NetworkRequest request) {
        RequestHeader header = request.header();
        ApiKeys api = header.api();
        if (api == ApiKeys.API_VERSIONS && !api.isVersionSupported(header.apiVersion())) {
            // A version 0 body the client can always parse, listing what we support.
            request.sendResponse(MessageCodec.encodeResponseBody(api, (short) 0,
                    MessageCodec.apiVersionsResponse(Errors.UNSUPPORTED_VERSION)));
            return;
        }
        Struct body;
        try {
            body = MessageCodec.decodeRequestBody(api, header.apiVersion(), new WireReader(request.body()));
        } catch (ProtocolException e) {
            LOG.log(Level.FINE, "Closing a connection after a malformed " + api.apiName() + " request", e);
            request.closeConnection();
            return;
        }
        try {
            switch (api) {
                case API_VERSIONS -> respond(request, MessageCodec.apiVersionsResponse(Errors.NONE));
                case METADATA -> metadata.handle(request, body);
                case PRODUCE -> produce.handle(request, body);
                case FETCH -> fetch.handle(request, body);
                case LIST_OFFSETS -> listOffsets.handle(request, body);
                case CREATE_TOPICS -> admin.createTopics(request, body);
                case DELETE_TOPICS -> admin.deleteTopics(request, body);
                case CREATE_PARTITIONS -> admin.createPartitions(request, body);
                case DESCRIBE_CONFIGS -> admin.describeConfigs(request, body);
                case INCREMENTAL_ALTER_CONFIGS -> admin.incrementalAlterConfigs(request, body);
                case DELETE_RECORDS -> admin.deleteRecords(request, body);
                case DESCRIBE_CLUSTER -> admin.describeCluster(request);
                case INIT_PRODUCER_ID -> initProducerId(request, body);
                case FIND_COORDINATOR -> groups.findCoordinator(request, body);
                case JOIN_GROUP -> groups.joinGroup(request, body);
                case SYNC_GROUP -> groups.syncGroup(request, body);
                case HEARTBEAT -> groups.heartbeat(request, body);
                case LEAVE_GROUP -> groups.leaveGroup(request, body);
                case OFFSET_COMMIT -> groups.offsetCommit(request, body);
                case OFFSET_FETCH -> groups.offsetFetch(request, body);
                case LIST_GROUPS -> groups.listGroups(request, body);
                case DESCRIBE_GROUPS -> groups.describeGroups(request, body);
                case DELETE_GROUPS -> groups.deleteGroups(request, body);
                case OFFSET_DELETE -> groups.offsetDelete(request, body);
                default -> notServed(request);
            }
        } catch (RuntimeException e) {
            if (!request.isCompleted()) {
                LOG.log(Level.WARNING, "Closing the connection: " + api.apiName() + " failed", e);
                request.closeConnection();
            } else {
                LOG.log(Level.WARNING, api.apiName() + " failed after its response", e);
            }
        }
    }

    /** Encodes {@code body} in the request's API and version and sends it. */
    static void respond(NetworkRequest request, Struct body) {
        RequestHeader h = request.header();
        request.sendResponse(MessageCodec.encodeResponseBody(h.api(), h.apiVersion(), body));
    }

    /**
     * InitProducerId for an idempotent producer: a new producer id with epoch 0, whatever id and
     * epoch the client sent, as Kafka answers a null transactional id. Transactions have no
     * coordinator here.
     */
    private void initProducerId(NetworkRequest request, Struct body) {
        Struct response = MessageCodec.newResponse(ApiKeys.INIT_PRODUCER_ID);
        if (body.getString("transactional_id") != null) {
            response.set("error_code", Errors.COORDINATOR_NOT_AVAILABLE.code());
        } else {
            try {
                response.set("producer_id", broker.producerIdManager().nextProducerId());
                response.set("producer_epoch", (short) 0);
                response.set("error_code", Errors.NONE.code());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Reserving producer ids failed", e);
                response.set("error_code", Errors.KAFKA_STORAGE_ERROR.code());
            }
        }
        respond(request, response);
    }

    private void notServed(NetworkRequest request) {
        Struct response = MessageCodec.newResponse(request.header().api());
        if (response.schema().hasField("error_code")) {
            response.set("error_code", Errors.COORDINATOR_NOT_AVAILABLE.code());
            respond(request, response);
        } else {
            request.closeConnection();
        }
    }
}
