package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calls of "Nodes and agents" in docs/api.md: what an agent sends (register, heartbeat,
 * its instances, batched status) and what the CLI asks of a running instance (logs, exec),
 * which the server proxies to the agent of the instance's node.
 *
 * <p>A server that does not have one of these endpoints yet (404 "no such route" or 405)
 * is served by the nearest older call: status reports become one status write per instance,
 * a heartbeat is a no-op. That keeps agents and servers of neighbouring versions working.
 * Logs and exec always go through the server, which authorises them and proxies them to the
 * agent with a token of its own: agents answer servers only.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class AgentApi {

  private final WharfClient client;

  public AgentApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Registers (or re-registers) a node; {@code node} is the whole object, status included. A
   * replaced node keeps its stored status on PUT, so a new agent address is written on the status
   * path, and so is a changed {@code portsInUse} (merged into the stored status: state and last
   * heartbeat stay the server's).
   */
  public JsonNode registerNode(String name, JsonNode node) {
    JsonNode stored = client.put("nodes", null, name, node);
    JsonNode wanted = node.path("status");
    if (!wanted.isObject()) {
      return stored;
    }
    ObjectNode status = null;
    if (!wanted.path("agentAddress").equals(stored.path("status").path("agentAddress"))) {
      status = (ObjectNode) wanted.deepCopy();
    } else if (!wanted.path("portsInUse").equals(stored.path("status").path("portsInUse"))) {
      status = stored.path("status").isObject() ? (ObjectNode) stored.path("status").deepCopy()
          : client.newObject();
      if (wanted.has("portsInUse")) {
        status.set("portsInUse", wanted.get("portsInUse").deepCopy());
      } else {
        status.remove("portsInUse");
      }
    }
    if (status != null) {
      ObjectNode withStatus = ((ObjectNode) stored.deepCopy()).set("status", status);
      ((ObjectNode) withStatus.path("metadata")).put("revision", 0);
      stored = client.call(client.request("/v1/nodes/" + WharfClient.segment(name) + "/status")
          .header("Content-Type", WharfClient.JSON)
          .PUT(HttpRequest.BodyPublishers.ofByteArray(client.bytes(withStatus))));
    }
    return stored;
  }

  /**
   * Keeps the node's lease alive; returns the node's state as the server sees it
   * ({@code ready}), or {@code unsupported} from a server without liveness leases.
   *
   * @throws ApiException 404 {@code not_found} when the node is not registered: register again
   */
  public String heartbeat(String node) {
    try {
      JsonNode answer = client.call(client.request("/v1/nodes/" + WharfClient.segment(node) + "/heartbeat")
          .POST(HttpRequest.BodyPublishers.noBody()));
      return answer.path("state").asText("ready");
    } catch (ApiException e) {
      if (unsupported(e)) {
        return "unsupported";
      }
      throw e;
    }
  }

  /**
   * Heartbeats for many nodes in one call ({@code POST /v1/nodes/heartbeats}), for a process that
   * speaks for many nodes: node name to state ({@code ready}, ...; {@code not_registered} for a
   * node to register again). A server without the batch endpoint gets one heartbeat per node.
   */
  public java.util.Map<String, String> heartbeats(List<String> nodes) {
    ObjectNode body = client.newObject();
    ArrayNode array = body.putArray("nodes");
    nodes.forEach(array::add);
    java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
    try {
      JsonNode answer = client.call(client.request("/v1/nodes/heartbeats")
          .header("Content-Type", WharfClient.JSON)
          .POST(HttpRequest.BodyPublishers.ofByteArray(client.bytes(body))));
      answer.path("nodes").properties().forEach(e -> states.put(e.getKey(), e.getValue().asText()));
      return states;
    } catch (ApiException e) {
      if (!unsupported(e)) {
        throw e;
      }
    }
    for (String node : nodes) {
      try {
        states.put(node, heartbeat(node));
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        states.put(node, "not_registered");
      }
    }
    return states;
  }

  /** One page of the instances placed on {@code node}. */
  public ResourceList instancesOn(String node, ListOptions options) {
    return client.list("instances", options.onNode(node));
  }

  /**
   * Reports the status of several instances in one transaction. Items naming instances that
   * are gone are skipped (listed in the answer), never an error.
   */
  public StatusReport reportStatus(List<StatusItem> items) {
    ObjectNode body = client.newObject();
    ArrayNode array = body.putArray("items");
    for (StatusItem item : items) {
      ObjectNode entry = array.addObject();
      entry.put("namespace", item.namespace());
      entry.put("name", item.name());
      entry.set("status", item.status());
    }
    try {
      JsonNode answer = client.call(client.request("/v1/instances/status")
          .header("Content-Type", WharfClient.JSON)
          .POST(HttpRequest.BodyPublishers.ofByteArray(client.bytes(body))));
      List<String> skipped = new ArrayList<>();
      answer.path("skipped").forEach(s -> skipped.add(s.isTextual() ? s.asText()
          : s.path("namespace").asText() + "/" + s.path("name").asText()));
      return new StatusReport(answer.path("revision").asLong(), answer.path("updated").asInt(), skipped);
    } catch (ApiException e) {
      if (!unsupported(e)) {
        throw e;
      }
    }
    return reportOneByOne(items);
  }

  private StatusReport reportOneByOne(List<StatusItem> items) {
    long revision = 0;
    int updated = 0;
    List<String> skipped = new ArrayList<>();
    for (StatusItem item : items) {
      try {
        ObjectNode current = (ObjectNode) client.get("instances", item.namespace(), item.name()).deepCopy();
        current.set("status", item.status());
        ((ObjectNode) current.path("metadata")).put("revision", 0);
        JsonNode stored = client.call(client.request("/v1/namespaces/" + WharfClient.segment(item.namespace())
                + "/instances/" + WharfClient.segment(item.name()) + "/status")
            .header("Content-Type", WharfClient.JSON)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(client.bytes(current))));
        revision = Math.max(revision, stored.path("metadata").path("revision").asLong());
        updated++;
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        skipped.add(item.namespace() + "/" + item.name());
      }
    }
    return new StatusReport(revision, updated, skipped);
  }

  /** The instance's log lines, streamed; with {@code follow} the stream stays open until closed. */
  public LogLines logs(String namespace, String instance, LogQuery query) {
    String path = "/v1/namespaces/" + WharfClient.segment(namespace) + "/instances/"
        + WharfClient.segment(instance) + "/logs" + query.queryString();
    return new LogLines(client.stream(HttpRequest.newBuilder(client.uri(path)).header("Accept", "text/plain").GET().build()));
  }

  /** Runs {@code command} in a task of the instance ({@code task} null: the main task). */
  public ExecOutcome exec(String namespace, String instance, String task, List<String> command) {
    ObjectNode body = client.newObject();
    if (task != null) {
      body.put("task", task);
    }
    ArrayNode cmd = body.putArray("command");
    command.forEach(cmd::add);
    JsonNode answer = client.call(HttpRequest.newBuilder(client.uri("/v1/namespaces/" + WharfClient.segment(namespace)
            + "/instances/" + WharfClient.segment(instance) + "/exec"))
        .header("Content-Type", WharfClient.JSON).header("Accept", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofByteArray(client.bytes(body))));
    return new ExecOutcome(answer.path("exitCode").asInt(-1), answer.path("output").asText(""));
  }

  /** The server lacks the endpoint (an older server), as opposed to "no such object". */
  static boolean unsupported(ApiException e) {
    return e.status() == 405 || e.status() == 404 && "no such route".equals(e.serverMessage());
  }
}
