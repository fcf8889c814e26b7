package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.server.controller.rollout.RolloutActions;
import io.wharf.server.controller.rollout.Rollouts;
import io.wharf.server.registry.LabelSelector;
import io.wharf.server.registry.ListPage;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import java.util.List;
import java.util.OptionalLong;

/**
 * Rollouts of a service (docs/api.md, "Rollouts"):
 * <ul>
 *   <li>{@code GET .../services/{name}/rollout}: the current template hash, the rollout of it,
 *       the history, and how many instances run the current template;</li>
 *   <li>{@code POST .../rollout/promote}: promotes a paused (or progressing) canary rollout;
 *       409 when there is nothing to promote;</li>
 *   <li>{@code POST .../rollout/undo[?to=REVISION]}: writes an earlier template back (400 for a
 *       {@code to} that is not a revision of the history; 409 when there is nothing to undo);</li>
 *   <li>{@code POST .../rollout/restart}: a new restart marker, so a rollout replaces every instance.</li>
 * </ul>
 * An unknown service is 404. Actions answer with the rollout view. Thread safety: stateless.
 */
final class RolloutRoutes {
  private static final int PAGE = 1000;

  private final ResourceRegistry registry;
  private final RolloutActions actions;
  private final ObjectMapper json;

  RolloutRoutes(ResourceRegistry registry, RolloutActions actions, ObjectMapper json) {
    this.registry = registry;
    this.actions = actions;
    this.json = json;
  }

  void status(Context ctx) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    Service service = actions.read(ns, name).orElseThrow(() -> notFound(ns, name));
    ApiServer.send(ctx, json, view(service));
  }

  void promote(Context ctx) {
    answer(ctx, actions.promote(ctx.pathParam("ns"), ctx.pathParam("name")));
  }

  void undo(Context ctx) {
    String to = ctx.queryParam("to");
    OptionalLong revision = OptionalLong.empty();
    if (to != null) {
      try {
        revision = OptionalLong.of(Long.parseLong(to.strip()));
      } catch (NumberFormatException e) {
        revision = OptionalLong.of(-1);
      }
      if (revision.getAsLong() <= 0) {
        throw ApiError.badParameter("to", "must be a positive revision number, got \"" + to + "\"").failure();
      }
    }
    answer(ctx, actions.undo(ctx.pathParam("ns"), ctx.pathParam("name"), revision));
  }

  void restart(Context ctx) {
    answer(ctx, actions.restart(ctx.pathParam("ns"), ctx.pathParam("name")));
  }

  private void answer(Context ctx, RolloutActions.Outcome outcome) {
    switch (outcome) {
      case RolloutActions.Done done -> {
        ctx.status(202);
        ApiServer.send(ctx, json, view(done.service()));
      }
      case RolloutActions.Refused r -> throw switch (r.why()) {
        case NOT_FOUND -> ApiError.notFound(r.message()).failure();
        case NOTHING_TO_DO -> ApiError.conflict(r.message()).failure();
        case BAD_REVISION -> ApiError.badParameter("to", r.message()).failure();
      };
    }
  }

  private static ApiError.Failure notFound(String ns, String name) {
    return ApiError.notFound("Service \"" + ns + "/" + name + "\" not found").failure();
  }

  /** {@code {namespace, name, revision, template, replicas, rollout, history, restartedAt, instances: {total, current}}}. */
  private ObjectNode view(Service service) {
    String hash = Rollouts.hash(service);
    ObjectNode body = json.createObjectNode();
    body.put("namespace", service.metadata().namespace());
    body.put("name", service.metadata().name());
    body.put("revision", service.metadata().revision());
    body.put("template", hash);
    body.put("replicas", service.spec().replicas());
    if (service.spec().placement().global()) {
      body.put("global", true); // replaced one at a time, without rollout tracking
    }
    ObjectNode status = ResourceCodec.json().valueToTree(service.status());
    if (status.has("rollout")) {
      body.set("rollout", status.get("rollout"));
    }
    body.set("history", status.has("history") ? status.get("history") : json.createArrayNode());
    if (status.has("restartedAt")) {
      body.set("restartedAt", status.get("restartedAt"));
    }
    int total = 0;
    int current = 0;
    LabelSelector owned = new LabelSelector(List.of(new LabelSelector.Requirement("wharf.io/service",
        LabelSelector.Operator.EQUALS, service.metadata().name())));
    String after = null;
    do {
      ListPage page = registry.list(ResourceType.INSTANCE, service.metadata().namespace(), owned,
          o -> o.path("spec").path("owner").path("kind").asText().equals("Service"), PAGE, after);
      for (StoredObject o : page.items()) {
        total++;
        String label = o.object().path("metadata").path("labels").path(InstanceTemplate.LABEL).asText("");
        if (label.equals(hash)) {
          current++;
        }
      }
      after = page.continueAfter();
    } while (after != null);
    body.putObject("instances").put("total", total).put("current", current);
    return body;
  }
}
