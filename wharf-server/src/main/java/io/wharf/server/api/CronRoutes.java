package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.CronJob;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.controller.cron.CronFiring;
import io.wharf.server.controller.cron.CronRuns;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Operator actions on cron jobs:
 * <ul>
 *   <li>{@code POST /v1/namespaces/{ns}/cronjobs/{name}/trigger}: starts a run now, outside the
 *       schedule: the Job {@code <cron>-m<epoch ms>} labelled {@code wharf.io/trigger=manual}
 *       (201 with the Job). It does not touch the schedule's bookkeeping; it counts as an active
 *       run for the concurrency policy and the history limits.</li>
 *   <li>{@code POST .../suspend}, {@code POST .../resume}: set {@code spec.suspend} (200 with the
 *       cron job; 409 when it already is suspended / is not suspended).</li>
 * </ul>
 * A missing cron job is 404. Each write compares the cron job's revision and records its event
 * in the same transaction; a manual run's {@code WHARF_RUN_ID} is that revision, as for a
 * scheduled run. Thread safety: stateless.
 */
final class CronRoutes {
  private final ResourceRegistry registry;
  private final ObjectMapper json;

  CronRoutes(ResourceRegistry registry, ObjectMapper json) {
    this.registry = registry;
    this.json = json;
  }

  void trigger(Context ctx) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    String cronKey = ResourceKeys.key(ResourceType.CRON_JOB, ns, name);
    StoredObject job = registry.writer().write(now -> {
      StoredObject current = read(ns, name);
      CronJob cron = decode(current);
      String jobName = CronRuns.manualJobName(name, now);
      String jobKey = ResourceKeys.key(ResourceType.JOB, ns, jobName);
      if (registry.store().get(jobKey).isPresent()) {
        throw ApiError.conflict("Job \"" + ns + "/" + jobName + "\" already exists; trigger again").failure();
      }
      String runId = Long.toString(current.revision());
      ObjectNode jobTree = registry.stamped(CronFiring.jobTree(cron, jobName, now, runId,
          Map.of(CronRuns.TRIGGER_LABEL, "manual")), now, now);
      ObjectNode next = current.object().deepCopy();
      ObjectNode status = next.withObjectProperty("status");
      TreeSet<String> active = new TreeSet<>();
      status.path("activeJobs").forEach(n -> active.add(n.asText()));
      active.add(jobName);
      ArrayNode list = status.putArray("activeJobs");
      active.forEach(list::add);
      ObjectNode stored = registry.stamped(next, ResourceRegistry.createdAt(current, now), now);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(cronKey, current.revision()), Txn.Compare.absent(jobKey)),
          List.of(new Txn.Put(jobKey, registry.bytes(jobTree)), new Txn.Put(cronKey, registry.bytes(stored))),
          List.of(ResourceRegistry.draft(EventType.Updated, ResourceType.CRON_JOB, ns, name, "CronJobTriggered",
                  "manual run started as job " + jobName + ", run id " + runId),
              ResourceRegistry.draft(EventType.Created, ResourceType.JOB, ns, jobName, "Created",
                  "manual run of cron job " + name)),
          revision -> registry.withRevision(ResourceType.JOB, jobKey, jobTree, revision));
    });
    ctx.status(201);
    send(ctx, job.object());
  }

  void suspend(Context ctx) {
    setSuspend(ctx, true);
  }

  void resume(Context ctx) {
    setSuspend(ctx, false);
  }

  private void setSuspend(Context ctx, boolean suspend) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    String key = ResourceKeys.key(ResourceType.CRON_JOB, ns, name);
    StoredObject written = registry.writer().write(now -> {
      StoredObject current = read(ns, name);
      if (current.object().path("spec").path("suspend").asBoolean(false) == suspend) {
        throw ApiError.conflict("CronJob \"" + ns + "/" + name + "\" is " + (suspend ? "already suspended"
            : "not suspended")).failure();
      }
      ObjectNode next = current.object().deepCopy();
      next.withObjectProperty("spec").put("suspend", suspend);
      ObjectNode stored = registry.stamped(next, ResourceRegistry.createdAt(current, now), now);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, current.revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))),
          List.of(ResourceRegistry.draft(EventType.Updated, ResourceType.CRON_JOB, ns, name,
              suspend ? "CronJobSuspended" : "CronJobResumed",
              suspend ? "no new slots fire until resumed" : "slots fire again; the latest slot missed while suspended"
                  + " runs if within the starting deadline")),
          revision -> registry.withRevision(ResourceType.CRON_JOB, key, stored, revision));
    });
    ctx.status(200);
    send(ctx, written.object());
  }

  private StoredObject read(String ns, String name) {
    Optional<StoredObject> current = registry.get(ResourceType.CRON_JOB, ns, name);
    if (current.isEmpty()) {
      throw ApiError.notFound("CronJob \"" + ns + "/" + name + "\" not found").failure();
    }
    return current.get();
  }

  private static CronJob decode(StoredObject o) {
    Decoded<?> decoded = ResourceCodec.fromJson(Kind.CRON_JOB, o.object().toString().getBytes(StandardCharsets.UTF_8));
    if (!decoded.ok() || !(decoded.value() instanceof CronJob c)) {
      throw new IllegalStateException("stored cron job " + o.key() + " does not decode: " + decoded.problems());
    }
    return c;
  }

  private void send(Context ctx, JsonNode body) {
    ctx.contentType("application/json");
    try {
      ctx.result(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
