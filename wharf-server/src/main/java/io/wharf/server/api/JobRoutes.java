package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.server.controller.job.JobRuns;

/**
 * {@code POST /v1/namespaces/{ns}/jobs/{name}/run[?restart=true]}: asks for another run of a job
 * ({@link JobRuns}). 202 with {@code {"run": N, "job": {...}}} when requested; 404 for an unknown
 * job; 409 {@code conflict} when a run is active and {@code restart} was not given; 400 for a
 * {@code restart} other than {@code true} or {@code false}. Thread safety: stateless.
 */
final class JobRoutes {
  private final JobRuns runs;
  private final ObjectMapper json;

  JobRoutes(JobRuns runs, ObjectMapper json) {
    this.runs = runs;
    this.json = json;
  }

  void run(Context ctx) {
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    String raw = QueryParameters.single(ctx, "restart");
    boolean restart;
    if (raw == null || raw.equals("false")) {
      restart = false;
    } else if (raw.equals("true") || raw.isEmpty()) {
      restart = true;
    } else {
      throw ApiError.badParameter("restart", "must be true or false, got \"" + raw + "\"").failure();
    }
    switch (runs.request(ns, name, restart)) {
      case JobRuns.NotFound n -> throw ApiError.notFound("Job \"" + ns + "/" + name + "\" not found").failure();
      case JobRuns.Active a -> throw ApiError.conflict("Job \"" + ns + "/" + name + "\": run " + a.run() + " is "
          + a.phase() + "; pass restart=true to stop it and start a new run").failure();
      case JobRuns.Requested r -> {
        ObjectNode body = json.createObjectNode();
        body.put("run", r.run());
        body.set("job", r.job());
        ctx.status(202);
        ctx.contentType("application/json");
        try {
          ctx.result(json.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
