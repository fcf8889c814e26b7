package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator calls of "Node actions" in docs/api.md: drain a node (or undo it), mark it
 * eligible or not, list nodes with their usage, ask a service to rebalance.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class NodeActions {
  private final WharfClient client;

  public NodeActions(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Sets the node's {@code spec.drain}; returns the node. */
  public JsonNode drain(String node, boolean drain) {
    return post("/v1/nodes/" + WharfClient.segment(node) + "/drain", "{\"drain\": " + drain + "}");
  }

  /** Sets the node's {@code spec.eligible}; returns the node. */
  public JsonNode eligible(String node, boolean eligible) {
    return post("/v1/nodes/" + WharfClient.segment(node) + "/eligibility", "{\"eligible\": " + eligible + "}");
  }

  /** Every node with its usage: name, address, state, drain, eligible, cpu/memory used and allocatable, instances. */
  public List<JsonNode> usage() {
    List<JsonNode> out = new ArrayList<>();
    client.call(client.request("/v1/node-usage").GET()).path("items").forEach(out::add);
    return out;
  }

  /** Asks the service controller to rebalance the service; returns the service. */
  public JsonNode rebalance(String namespace, String service) {
    return post("/v1/namespaces/" + WharfClient.segment(namespace) + "/services/" + WharfClient.segment(service)
        + "/rebalance", "{}");
  }

  private JsonNode post(String path, String body) {
    return client.call(client.request(path).header("Content-Type", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
