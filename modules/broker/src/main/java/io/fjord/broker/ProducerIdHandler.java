package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.InitProducerIdRequest;
import io.fjord.protocol.message.InitProducerIdResponse;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * InitProducerId (versions 0 to 4) for idempotent producers: a new producer id with epoch 0,
 * whatever id and epoch the client sent, as Kafka answers a null transactional id. Transactions have
 * no coordinator here: a transactional id is answered COORDINATOR_NOT_AVAILABLE.
 */
final class ProducerIdHandler implements ApiFamily {

    private static final Logger LOG = Logger.getLogger(ProducerIdHandler.class.getName());

    private final ProducerIdManager producerIds;

    ProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.INIT_PRODUCER_ID, InitProducerIdRequest.class, this::handle);
    }

    void handle(NetworkRequest request, InitProducerIdRequest body) {
        InitProducerIdResponse response = new InitProducerIdResponse();
        if (body.transactionalId() != null) {
            response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        } else {
            try {
                response.setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Reserving producer ids failed", e);
                response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            }
        }
        Responses.send(request, response);
    }
}
