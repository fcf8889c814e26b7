package io.wharf.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ApiException;
import io.wharf.client.AuthApi;
import java.time.Instant;

/**
 * Workload tokens from the server's API ({@link AuthApi#instanceToken}): 404 (instance gone) and
 * 409 (instance ended) mean no token; 401 and 403 (this agent may not ask — e.g. a server without
 * node identities) mean no tokens for this agent; other failures propagate to be retried.
 */
public final class ApiTokenSource implements WorkloadIdentity.TokenSource {
  private final AuthApi api;

  public ApiTokenSource(AuthApi api) {
    this.api = api;
  }

  @Override
  public WorkloadIdentity.Answer fetch(String namespace, String instance) {
    try {
      JsonNode answer = api.instanceToken(namespace, instance);
      return new WorkloadIdentity.Issued(new WorkloadIdentity.Token(answer.path("token").asText(),
          Instant.parse(answer.path("expiresAt").asText())));
    } catch (ApiException e) {
      if (e.status() == 404 || e.status() == 409) {
        return new WorkloadIdentity.NoToken(e.serverMessage());
      }
      if (e.status() == 401 || e.status() == 403) {
        return new WorkloadIdentity.Refused(e.status() + " " + e.serverMessage());
      }
      throw e;
    }
  }
}
