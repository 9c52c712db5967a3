package io.fjord.coordinator;

import io.fjord.common.errors.Errors;

import java.util.List;

/**
 * The answer to a LeaveGroup request.
 *
 * @param error the request-level error; NONE when the per-member errors carry the outcome
 * @param memberErrors one per member of the request, in its order (empty on a request-level error)
 */
public record LeaveGroupResult(Errors error, List<Errors> memberErrors) {
}
