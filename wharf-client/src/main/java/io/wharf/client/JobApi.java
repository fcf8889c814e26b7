package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.Objects;

/**
 * The job calls of docs/api.md: ask for another run of a job ({@code POST .../jobs/{name}/run})
 * and read a job with its run status.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class JobApi {
  private final WharfClient client;

  public JobApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Asks for a new run; {@code restart} stops a run still active. Returns {@code {"run": N, "job": {...}}}.
   * An active run without {@code restart} is an {@link ApiException} with status 409.
   */
  public JsonNode run(String namespace, String job, boolean restart) {
    String path = "/v1/namespaces/" + WharfClient.segment(namespace) + "/jobs/" + WharfClient.segment(job) + "/run"
        + (restart ? "?restart=true" : "");
    return client.call(client.request(path).header("Content-Type", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  /** The job (its {@code status} holds the run, phase, counts and attempts). */
  public JsonNode get(String namespace, String job) {
    return client.get("jobs", namespace, job);
  }
}
