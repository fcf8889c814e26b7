package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;

/**
 * The cron job calls of "Cron job actions" in docs/api.md: list cron jobs, start a run now,
 * suspend and resume.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class CronApi {
  private final WharfClient client;

  public CronApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The cron jobs of {@code namespace}, or of every namespace when it is null. */
  public List<JsonNode> list(String namespace) {
    return client.listAll("cronjobs", namespace == null ? ListOptions.ALL : ListOptions.inNamespace(namespace));
  }

  /** Starts a run of the cron job now (outside its schedule); returns the new Job. */
  public JsonNode trigger(String namespace, String name) {
    return post(namespace, name, "trigger");
  }

  /** Stops new slots from firing; returns the cron job. 409 when already suspended. */
  public JsonNode suspend(String namespace, String name) {
    return post(namespace, name, "suspend");
  }

  /** Lets slots fire again; returns the cron job. 409 when not suspended. */
  public JsonNode resume(String namespace, String name) {
    return post(namespace, name, "resume");
  }

  private JsonNode post(String namespace, String name, String action) {
    return client.call(client.request("/v1/namespaces/" + WharfClient.segment(namespace) + "/cronjobs/"
        + WharfClient.segment(name) + "/" + action).header("Content-Type", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }
}
