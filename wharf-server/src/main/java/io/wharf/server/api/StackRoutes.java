package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.codec.Decoded;
import io.wharf.model.stack.StackDocument;
import io.wharf.model.stack.StackFile;
import io.wharf.server.stack.ApplyResult;
import io.wharf.server.stack.DeleteResult;
import io.wharf.server.stack.FieldDiff;
import io.wharf.server.stack.PlannedChange;
import io.wharf.server.stack.StackApplier;
import io.wharf.server.stack.StackDeleter;
import io.wharf.server.stack.StackPlan;
import io.wharf.server.stack.StackPlanner;
import io.wharf.model.Resource;
import io.wharf.server.auth.policy.Permission;
import io.wharf.server.auth.policy.Verb;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/plan} and {@code POST /v1/apply}: a stack file in, the plan (and revision) out;
 * {@code POST /v1/delete}: a stack file in, what was deleted and what stops in order out.
 */
final class StackRoutes {
  private final StackPlanner planner;
  private final StackApplier applier;
  private final StackDeleter deleter;
  private final RequestBodies bodies;
  private final ErrorResponses errors;
  private final ObjectMapper json;
  private final AuthSeam seam;

  StackRoutes(StackPlanner planner, StackApplier applier, StackDeleter deleter, RequestBodies bodies, ErrorResponses errors,
      ObjectMapper json, AuthSeam seam) {
    this.seam = seam;
    this.planner = planner;
    this.applier = applier;
    this.deleter = deleter;
    this.bodies = bodies;
    this.errors = errors;
    this.json = json;
  }

  void plan(Context ctx) {
    StackDocument doc = document(ctx);
    seam.require(ctx, each(doc, Verb.GET));
    send(ctx, render(planner.planWithPlacements(doc), null));
  }

  void apply(Context ctx) {
    long expect = QueryParameters.revision(ctx, "expectRevision");
    StackDocument doc = document(ctx);
    seam.require(ctx, changes(planner.plan(doc)));
    switch (applier.apply(doc, expect)) {
      case ApplyResult.Applied a -> send(ctx, render(a.plan(), a.revision()));
      case ApplyResult.Stale s -> errors.render(ctx, ApiError.conflict(s.kind() + " \""
          + (s.namespace() == null ? "" : s.namespace() + "/") + s.name() + "\" changed at revision " + s.revision()
          + ", after the plan's revision " + s.expectRevision() + "; plan again"));
      case ApplyResult.TooLarge t -> errors.render(ctx, ApiError.invalid("stack file", java.util.List.of(
          new ApiProblem("", "applying it changes " + t.changes() + " objects; one apply can change at most "
              + t.max() + " (one store transaction); apply it in parts"))));
    }
  }

  void delete(Context ctx) {
    StackDocument doc = document(ctx);
    seam.require(ctx, each(doc, Verb.DELETE));
    switch (deleter.delete(doc)) {
      case DeleteResult.Deleted d -> {
        ObjectNode body = json.createObjectNode();
        body.put("stack", d.stack());
        body.put("namespace", d.namespace());
        body.put("revision", d.revision());
        targets(body.putArray("deleted"), d.deleted());
        targets(body.putArray("stopping"), d.stopping());
        targets(body.putArray("notFound"), d.notFound());
        waves(body.putArray("deleteOrder"), d.deleteWaves());
        send(ctx, body);
      }
      case DeleteResult.TooLarge t -> errors.render(ctx, ApiError.invalid("stack file", java.util.List.of(
          new ApiProblem("", "deleting it changes " + t.changes() + " objects; one delete can change at most "
              + t.max() + " (one store transaction); delete it in parts"))));
    }
  }

  private static void targets(ArrayNode into, List<DeleteResult.Target> targets) {
    for (DeleteResult.Target t : targets) {
      ObjectNode o = into.addObject();
      o.put("kind", t.kind());
      if (t.namespace() != null) {
        o.put("namespace", t.namespace());
      }
      o.put("name", t.name());
    }
  }

  /** {@code verb} on every object of the stack, the Stack itself included. */
  private static List<Permission> each(StackDocument doc, Verb verb) {
    List<Permission> out = new java.util.ArrayList<>();
    out.add(new Permission(verb, "Stack", doc.namespace()));
    for (Resource r : doc.resources()) {
      Permission p = new Permission(verb, r.kind().displayName(), r.kind().namespaced() ? r.metadata().namespace() : null);
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Reading the stack, and what applying {@code plan} does: create, update or delete of each object it changes. */
  private static List<Permission> changes(StackPlan plan) {
    List<Permission> out = new java.util.ArrayList<>();
    out.add(new Permission(Verb.GET, "Stack", plan.namespace()));
    for (PlannedChange c : plan.changes()) {
      Verb verb = switch (c.action()) {
        case CREATE -> Verb.CREATE;
        case UPDATE -> Verb.UPDATE;
        case DELETE -> Verb.DELETE;
        case UNCHANGED -> null;
      };
      if (verb != null) {
        Permission p = new Permission(verb, c.type().kind(), c.type().clusterScoped() ? null : c.namespace());
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private StackDocument document(Context ctx) {
    RequestBodies.Body body = bodies.read(ctx);
    bodies.tree(body);
    Decoded<StackDocument> decoded = StackFile.parse(body.text(), "api");
    if (decoded.ok()) {
      io.wharf.server.audit.AuditScope.describe(ctx, "Stack", decoded.value().namespace(), decoded.value().name());
      return decoded.value();
    }
    List<ApiProblem> problems = ResourceValidation.problems(decoded.problems());
    if (decoded instanceof Decoded.Invalid<?> invalid && invalid.malformed()) {
      throw new ApiError(400, "malformed", "stack file is malformed: " + problems.get(0).reason(), problems).failure();
    }
    throw ApiError.invalid("stack file", problems).failure();
  }

  private ObjectNode render(StackPlan plan, Long appliedRevision) {
    ObjectNode body = json.createObjectNode();
    body.put("stack", plan.stack());
    body.put("namespace", plan.namespace());
    if (appliedRevision == null) {
      body.put("revision", plan.revision());
    } else {
      body.put("revision", appliedRevision);
      body.put("planRevision", plan.revision());
    }
    ArrayNode changes = body.putArray("changes");
    for (PlannedChange c : plan.changes()) {
      if (c.action() == PlannedChange.Action.UNCHANGED) {
        continue;
      }
      ObjectNode change = changes.addObject();
      change.put("action", c.action().name().toLowerCase(Locale.ROOT));
      change.put("kind", c.type().kind());
      change.put("namespace", c.namespace());
      change.put("name", c.name());
      ArrayNode diff = change.putArray("diff");
      for (FieldDiff d : c.diff()) {
        ObjectNode entry = diff.addObject();
        entry.put("path", d.path());
        entry.set("old", d.oldValue() == null ? NullNode.instance : d.oldValue());
        entry.set("new", d.newValue() == null ? NullNode.instance : d.newValue());
      }
    }
    if (!plan.placements().isEmpty()) {
      ArrayNode placements = body.putArray("placements");
      for (var p : plan.placements()) {
        ObjectNode entry = placements.addObject();
        entry.put("kind", "Service").put("namespace", p.namespace()).put("name", p.name());
        entry.put("instances", p.wanted()).put("placed", p.placed());
        ObjectNode nodes = entry.putObject("nodes");
        p.byNode().forEach(nodes::put);
        if (p.reasons() != null) {
          entry.put("reasons", p.reasons());
        }
      }
    }
    if (!plan.rollouts().isEmpty()) {
      ArrayNode rollouts = body.putArray("rollouts"); // services rolled out because their configs/secrets change
      for (var r : plan.rollouts()) {
        ObjectNode entry = rollouts.addObject();
        entry.put("kind", "Service").put("namespace", r.namespace()).put("name", r.name());
        r.because().forEach(entry.putArray("because")::add);
      }
    }
    if (!plan.startWaves().isEmpty()) {
      waves(body.putArray("startOrder"), plan.startWaves());
      waves(body.putArray("deleteOrder"), plan.deleteWaves());
    }
    ObjectNode summary = body.putObject("summary");
    for (PlannedChange.Action a : PlannedChange.Action.values()) {
      summary.put(a.name().toLowerCase(Locale.ROOT), plan.count(a));
    }
    return body;
  }

  private static void waves(ArrayNode into, List<List<String>> waves) {
    for (List<String> wave : waves) {
      ArrayNode names = into.addArray();
      wave.forEach(names::add);
    }
  }

  private void send(Context ctx, ObjectNode body) {
    ctx.status(200);
    ctx.contentType("application/json");
    try {
      ctx.result(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
