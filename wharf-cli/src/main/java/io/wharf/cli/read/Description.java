package io.wharf.cli.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of {@code wharf describe}: identity and bookkeeping as aligned fields, then every
 * field of spec and status (YAML, secrets redacted), then the object's recent events. Pure.
 */
public final class Description {

  /** How many of the newest events to show. */
  public static final int RECENT_EVENTS = 10;

  private Description() {
  }

  /**
   * @param events the object's events, oldest first; null when they could not be read
   * @param eventsError why they could not be read (shown instead), or null
   */
  public static String render(JsonNode object, List<JsonNode> events, String eventsError,
      Instant now) {
    JsonNode safe = Documents.redact(object);
    JsonNode meta = safe.path("metadata");
    StringBuilder out = new StringBuilder();
    field(out, "Name", meta.path("name").asText());
    if (meta.hasNonNull("namespace")) {
      field(out, "Namespace", meta.path("namespace").asText());
    }
    field(out, "Kind", safe.path("kind").asText());
    Map<String, String> labels = new TreeMap<>();
    meta.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    if (labels.isEmpty()) {
      field(out, "Labels", "<none>");
    } else {
      boolean first = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        field(out, first ? "Labels" : "", e.getKey() + "=" + e.getValue());
        first = false;
      }
    }
    field(out, "Revision", meta.path("revision").asText("0"));
    timestamp(out, "Created", meta.path("createdAt"), now);
    timestamp(out, "Updated", meta.path("updatedAt"), now);
    section(out, "Spec", safe.path("spec"));
    section(out, "Status", safe.path("status"));
    placement(out, safe.path("status"));
    dependencies(out, safe.path("status"));
    out.append("Events:");
    if (eventsError != null) {
      out.append(" <unavailable: ").append(eventsError).append(">\n");
    } else if (events == null || events.isEmpty()) {
      out.append(" <none>\n");
    } else {
      out.append('\n');
      List<JsonNode> recent = events.subList(Math.max(0, events.size() - RECENT_EVENTS),
          events.size());
      Table table = new Table("AGE", "TYPE", "REASON", "MESSAGE");
      for (JsonNode e : recent) {
        JsonNode spec = e.path("spec");
        table.add(Age.since(spec.path("at").asText(null), now), Columns.text(spec.path("type")),
            Columns.text(spec.path("reason")), Columns.text(spec.path("message")));
      }
      table.render().lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }
    return out.toString();
  }

  /**
   * For a service whose instances cannot all be placed, why, one cause per line (the Scheduled
   * condition's message groups nodes by reason: {@code 3 nodes: not enough memory; 2 nodes: ...}).
   */
  private static void placement(StringBuilder out, JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("Scheduled") && !c.path("status").asBoolean(true)) {
        out.append("Placement:  not every instance can be placed:\n");
        for (String group : c.path("message").asText().split("; ")) {
          out.append("  ").append(group).append('\n');
        }
      }
    }
  }

  /**
   * For a service held back by {@code dependsOn}, what it waits for ({@code DependenciesMet}
   * false), or, while a stack deletion stops it, which dependents it waits for ({@code Stopping}).
   */
  private static void dependencies(StringBuilder out, JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      String type = c.path("type").asText();
      if ((type.equals("DependenciesMet") || type.equals("Stopping")) && !c.path("status").asBoolean(true)) {
        field(out, type.equals("Stopping") ? "Stopping" : "Waiting",
            c.path("message").asText() + " (" + c.path("reason").asText() + ")");
      }
    }
  }

  private static void field(StringBuilder out, String label, String value) {
    String head = label.isEmpty() ? "" : label + ":";
    out.append(head).append(" ".repeat(Math.max(1, 12 - head.length()))).append(value)
        .append('\n');
  }

  private static void timestamp(StringBuilder out, String label, JsonNode at, Instant now) {
    if (at.isTextual()) {
      field(out, label, at.asText() + " (" + Age.since(at.asText(), now) + " ago)");
    }
  }

  private static void section(StringBuilder out, String label, JsonNode body) {
    out.append(label).append(':');
    if (body.isMissingNode() || body.isNull() || (body.isContainerNode() && body.isEmpty())) {
      out.append(" <none>\n");
      return;
    }
    out.append('\n');
    List<String> lines = new ArrayList<>(new Documents().yaml(body).lines().toList());
    lines.forEach(line -> out.append("  ").append(line).append('\n'));
  }
}
