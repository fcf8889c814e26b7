package io.wharf.cli.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.output.Table;

/** How a rollout view of the API reads for people. Pure. */
public final class RolloutView {
  private RolloutView() {}

  /**
   * One line: {@code web: progressing, 2/3 updated, 3/4 instances on template 0123456789ab —
   * message}; {@code pending} before the controller has seen the spec's template.
   */
  public static String line(JsonNode view) {
    String name = view.path("namespace").asText() + "/" + view.path("name").asText();
    JsonNode r = view.path("rollout");
    String template = view.path("template").asText();
    if (view.path("global").asBoolean(false)) {
      return name + ": global service on template " + template + " (instances replaced one at a time, not tracked)";
    }
    if (r.isMissingNode() || !r.path("hash").asText().equals(template)) {
      return name + ": pending (template " + template + " not picked up yet)";
    }
    JsonNode instances = view.path("instances");
    StringBuilder sb = new StringBuilder(name).append(": ").append(r.path("phase").asText())
        .append(", ").append(r.path("updated").asInt()).append('/').append(view.path("replicas").asInt())
        .append(" updated, ").append(instances.path("current").asInt()).append('/')
        .append(instances.path("total").asInt()).append(" instances on template ").append(template);
    if (r.path("rollback").asBoolean()) {
      sb.append(" (rollback)");
    }
    String message = r.path("message").asText("");
    if (!message.isEmpty()) {
      sb.append(" - ").append(message);
    }
    return sb.toString();
  }

  /** {@code wharf rollout status}: the line, then what to roll back to and the latest finished rollout. */
  public static String status(JsonNode view) {
    StringBuilder sb = new StringBuilder(line(view)).append('\n');
    JsonNode r = view.path("rollout");
    if (!r.isMissingNode()) {
      sb.append("  revision:   ").append(r.path("revision").asLong()).append('\n');
      sb.append("  started:    ").append(r.path("startedAt").asText("-")).append('\n');
      if (r.has("finishedAt")) {
        sb.append("  finished:   ").append(r.path("finishedAt").asText()).append('\n');
      }
      if (r.path("stable").isObject()) {
        sb.append("  rolls back to a template with ").append(r.path("stable").path("tasks").size())
            .append(" task(s) on failure").append('\n');
      }
    }
    if (r.path("phase").asText().equals("paused")) {
      sb.append("  promote with: wharf rollout promote ").append(view.path("name").asText()).append(" -n ")
          .append(view.path("namespace").asText()).append('\n');
    }
    if (view.has("restartedAt")) {
      sb.append("  restarted:  ").append(view.path("restartedAt").asText()).append('\n');
    }
    return sb.toString();
  }

  /** {@code wharf rollout history}: oldest first, the current one last when in progress. */
  public static Table history(JsonNode view) {
    Table table = new Table("REVISION", "TEMPLATE", "PHASE", "STARTED", "FINISHED", "REASON");
    for (JsonNode h : view.path("history")) {
      table.add(Long.toString(h.path("revision").asLong()), h.path("hash").asText(), h.path("phase").asText(),
          h.path("startedAt").asText("-"), h.path("finishedAt").asText("-"), h.path("reason").asText("-"));
    }
    JsonNode r = view.path("rollout");
    if (r.isObject() && (r.path("phase").asText().equals("progressing") || r.path("phase").asText().equals("paused"))) {
      table.add(Long.toString(r.path("revision").asLong()), r.path("hash").asText(), r.path("phase").asText(),
          r.path("startedAt").asText("-"), "-", r.path("message").asText("-"));
    }
    return table;
  }
}
