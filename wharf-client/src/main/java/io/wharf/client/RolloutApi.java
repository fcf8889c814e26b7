package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The calls of "Rollouts" in docs/api.md. Each answers the rollout view of the service:
 * {@code namespace, name, revision, template} (the hash of the spec's instance template),
 * {@code replicas, rollout, history, restartedAt, instances: {total, current}}.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class RolloutApi {
  private final WharfClient client;

  public RolloutApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public JsonNode status(String namespace, String service) {
    return client.call(client.request(path(namespace, service)).GET());
  }

  /** Promotes the canaries of the rollout in progress (409 when there is nothing to promote). */
  public JsonNode promote(String namespace, String service) {
    return post(path(namespace, service) + "/promote");
  }

  /** Writes an earlier template back: that of history revision {@code to}, or the previous one. */
  public JsonNode undo(String namespace, String service, OptionalLong to) {
    return post(path(namespace, service) + "/undo" + (to.isPresent() ? "?to=" + to.getAsLong() : ""));
  }

  /** Replaces every instance through a rollout. */
  public JsonNode restart(String namespace, String service) {
    return post(path(namespace, service) + "/restart");
  }

  private static String path(String namespace, String service) {
    return "/v1/namespaces/" + WharfClient.segment(namespace) + "/services/" + WharfClient.segment(service) + "/rollout";
  }

  private JsonNode post(String path) {
    return client.call(client.request(path).header("Content-Type", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }
}
