package io.fjord.client.network;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;

import java.lang.System.Logger.Level;

/**
 * One request from {@code send} to its outcome. Owned by the I/O thread once queued; the handler is
 * called exactly once, by {@link #complete} or {@link #fail}, whichever comes first.
 */
final class ClientRequest {

    private static final System.Logger LOG = System.getLogger(ClientRequest.class.getName());

    /** Marks a request whose version is picked from the node's ApiVersions when it is written. */
    static final short NEGOTIATE = -1;

    final int nodeId;
    final ApiKeys api;
    final ApiMessage body;
    final boolean expectResponse;
    final long deadlineNs;
    private final ResponseHandler handler;

    /** The version on the wire, fixed when the request is encoded. */
    short version;
    int correlationId;
    private boolean done;

    ClientRequest(int nodeId, ApiKeys api, ApiMessage body, short version, boolean expectResponse,
                  long deadlineNs, ResponseHandler handler) {
        this.nodeId = nodeId;
        this.api = api;
        this.body = body;
        this.version = version;
        this.expectResponse = expectResponse;
        this.deadlineNs = deadlineNs;
        this.handler = handler;
    }

    boolean isDone() {
        return done;
    }

    void complete(ApiMessage response) {
        finish(response, null);
    }

    void fail(RuntimeException error) {
        finish(null, error);
    }

    private void finish(ApiMessage response, RuntimeException error) {
        if (done) {
            return;
        }
        done = true;
        try {
            handler.onComplete(response, error);
        } catch (RuntimeException e) {
            // A failing handler must not take the I/O thread, and every other request, with it.
            LOG.log(Level.WARNING, "Response handler for " + api.apiName() + " to node " + nodeId + " threw", e);
        }
    }
}
