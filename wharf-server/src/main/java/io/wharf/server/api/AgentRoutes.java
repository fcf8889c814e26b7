package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ResourceType;
import io.wharf.model.quantity.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent-facing endpoints of docs/api.md "Nodes and agents": heartbeats and batched instance
 * status reports. Logs and exec, which the server proxies to agents, are in {@link AgentProxy}.
 */
final class AgentRoutes {
  /** A minimal valid Instance that a reported status is validated on. */
  private static final ObjectNode STATUS_PROBE = io.wharf.model.codec.ResourceCodec.toTree(new io.wharf.model.Instance(
      io.wharf.model.Metadata.of("status-probe", "default"), new io.wharf.model.cluster.InstanceSpec(
          new io.wharf.model.ResourceRef(io.wharf.model.Kind.SERVICE, "default", "status-probe"), 1, "status-probe",
          List.of(io.wharf.model.task.TaskSpec.main("main", io.wharf.model.task.SimDriver.FOREVER)), java.util.Map.of())));

  private final NodeLiveness liveness;
  private final InstanceStatusReports reports;
  private final RequestBodies bodies;
  private final ResourceValidation validation;
  private final ObjectMapper json;

  AgentRoutes(NodeLiveness liveness, InstanceStatusReports reports, RequestBodies bodies,
      ResourceValidation validation, ObjectMapper json) {
    this.liveness = liveness;
    this.reports = reports;
    this.bodies = bodies;
    this.validation = validation;
    this.json = json;
  }

  void heartbeat(Context ctx) {
    String node = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    switch (liveness.heartbeat(node)) {
      case NodeLiveness.NotRegistered n -> throw ApiError.notFound("Node \"" + node + "\" is not registered").failure();
      case NodeLiveness.Alive alive -> ApiServer.send(ctx, json, json.createObjectNode()
          .put("ttl", Durations.format(alive.ttl())).put("state", alive.state()));
    }
  }

  /**
   * {@code POST /v1/nodes/heartbeats}: {@code {"nodes": [names]}} beats for every node at once
   * (fleets multiplexing many nodes); answers {@code {"ttl": "15s", "nodes": {name: state}}} with
   * state {@code not_registered} for a node the server does not know (that node registers again).
   */
  void heartbeats(Context ctx) {
    ObjectNode body = bodies.tree(bodies.read(ctx));
    JsonNode nodes = body.get("nodes");
    if (nodes == null || !nodes.isArray()) {
      throw ApiError.invalid("heartbeats", List.of(new ApiProblem("nodes", "must be a list of node names"))).failure();
    }
    if (nodes.size() > NodeLiveness.MAX_BATCH) {
      throw ApiError.invalid("heartbeats", List.of(new ApiProblem("nodes",
          "at most " + NodeLiveness.MAX_BATCH + " nodes per call, got " + nodes.size()))).failure();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      names.add(QueryParameters.checkedName("nodes[" + i + "]", nodes.get(i).asText(""), false));
    }
    ObjectNode answer = json.createObjectNode();
    answer.put("ttl", Durations.format(liveness.ttl()));
    ObjectNode states = answer.putObject("nodes");
    liveness.heartbeats(names).forEach((node, beat) -> states.put(node, switch (beat) {
      case NodeLiveness.NotRegistered n -> "not_registered";
      case NodeLiveness.Alive alive -> alive.state();
    }));
    ApiServer.send(ctx, json, answer);
  }

  void reportStatus(Context ctx) {
    ObjectNode body = bodies.tree(bodies.read(ctx));
    JsonNode items = body.get("items");
    if (items == null || !items.isArray()) {
      throw ApiError.invalid("status report", List.of(new ApiProblem("items", "must be a list"))).failure();
    }
    if (items.size() > InstanceStatusReports.MAX_ITEMS) {
      throw ApiError.invalid("status report", List.of(new ApiProblem("items",
          "at most " + InstanceStatusReports.MAX_ITEMS + " items per report, got " + items.size()))).failure();
    }
    List<InstanceStatusReports.Item> checked = new ArrayList<>();
    List<ApiProblem> problems = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = "items[" + i + "]";
      String ns = item.path("namespace").asText("");
      String name = item.path("name").asText("");
      JsonNode status = item.get("status");
      if (ns.isEmpty() || name.isEmpty() || status == null || !status.isObject()) {
        problems.add(new ApiProblem(at, "needs namespace, name and a status object"));
        continue;
      }
      // Only the status is the agent's to write: validate it on a small fixed instance instead of
      // reading and re-validating the stored one (at scale that read and decode was most of the
      // cost of a report). An item naming an instance that is gone is skipped by the write.
      ObjectNode candidate = STATUS_PROBE.deepCopy();
      candidate.set("status", status.deepCopy());
      try {
        ObjectNode valid = validation.validate(ResourceType.INSTANCE, candidate);
        checked.add(new InstanceStatusReports.Item(ns, name, valid.get("status")));
      } catch (ApiError.Failure f) {
        for (ApiProblem p : f.error().problems()) {
          problems.add(new ApiProblem(at + "." + p.path(), p.reason()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw ApiError.invalid("status report", problems).failure();
    }
    InstanceStatusReports.Outcome outcome = reports.report(checked);
    ObjectNode answer = json.createObjectNode();
    answer.put("revision", outcome.revision());
    answer.put("updated", outcome.updated());
    ArrayNode skipped = answer.putArray("skipped");
    outcome.skipped().forEach(skipped::add);
    ApiServer.send(ctx, json, answer);
  }
}
