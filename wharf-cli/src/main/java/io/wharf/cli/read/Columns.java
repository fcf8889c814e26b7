package io.wharf.cli.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Table;
import io.wharf.model.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The table {@code wharf get} shows for each kind: NAME, NAMESPACE (namespaced kinds), the
 * kind's own columns, AGE. Reads the API's JSON so it shows whatever the server has, with
 * {@code <none>} for absent values. Secrets show their key count, never values.
 */
public final class Columns {

  private record Column(String header, Function<JsonNode, String> value) {
  }

  private Columns() {
  }

  public static Table table(Kind kind, List<JsonNode> items, Instant now) {
    List<Column> columns = new ArrayList<>();
    if (kind == Kind.EVENT) {
      columns.add(new Column("LAST SEEN", o -> Age.since(text(o.path("spec").path("at")), now)));
      columns.add(new Column("NAMESPACE", o -> text(o.path("metadata").path("namespace"))));
      columns.addAll(eventColumns());
    } else {
      columns.add(new Column("NAME", o -> text(o.path("metadata").path("name"))));
      if (kind.namespaced()) {
        columns.add(new Column("NAMESPACE", o -> text(o.path("metadata").path("namespace"))));
      }
      columns.addAll(specific(kind, now));
      columns.add(new Column("AGE",
          o -> Age.since(o.path("metadata").path("createdAt").asText(null), now)));
    }
    Table table = new Table(columns.stream().map(Column::header).toList());
    for (JsonNode item : items) {
      table.add(columns.stream().map(c -> c.value().apply(item)).toList());
    }
    return table;
  }

  static List<Column> eventColumns() {
    return List.of(
        new Column("TYPE", o -> text(o.path("spec").path("type"))),
        new Column("REASON", o -> text(o.path("spec").path("reason"))),
        new Column("OBJECT", o -> involved(o.path("spec").path("involved"))),
        new Column("MESSAGE", o -> text(o.path("spec").path("message"))));
  }

  /** {@code service/web} as kubectl names objects. */
  public static String involved(JsonNode ref) {
    if (ref.isMissingNode() || ref.isNull()) {
      return "<none>";
    }
    return ref.path("kind").asText("?").toLowerCase(Locale.ROOT) + "/" + ref.path("name").asText("?");
  }

  private static List<Column> specific(Kind kind, Instant now) {
    return switch (kind) {
      case SERVICE -> List.of(
          new Column("REPLICAS", Columns::replicas),
          new Column("DRIVER", o -> mainTaskDriver(o.path("spec").path("tasks"))));
      case JOB -> List.of(
          new Column("PHASE", o -> text(o.path("status").path("phase"))),
          new Column("COMPLETIONS", o -> o.path("status").path("succeeded").asInt() + "/"
              + Math.max(1, o.path("spec").path("completions").asInt(1))));
      case CRON_JOB -> List.of(
          new Column("SCHEDULE", o -> text(o.path("spec").path("schedule"))),
          new Column("TIMEZONE", o -> text(o.path("spec").path("timeZone"))),
          new Column("SUSPEND", o -> Boolean.toString(o.path("spec").path("suspend").asBoolean())),
          new Column("LAST SCHEDULE", o -> o.path("status").hasNonNull("lastScheduledAt")
              ? Age.since(o.path("status").path("lastScheduledAt").asText(), now) : "<none>"));
      case ROUTE -> List.of(
          new Column("HOST", o -> text(o.path("spec").path("host"))),
          new Column("PATH", o -> text(o.path("spec").path("path"))),
          new Column("BACKENDS", Columns::backends));
      case CONFIG -> List.of(
          new Column("SIZE", o -> o.path("spec").path("data").asText("").length() + "B"));
      case SECRET -> List.of(new Column("KEYS", Columns::secretKeys));
      case ENDPOINT -> List.of(
          new Column("SERVICE", o -> text(o.path("spec").path("service"))),
          new Column("ADDRESS", o -> text(o.path("spec").path("address"))),
          new Column("PORTS", o -> ports(o.path("spec").path("ports"), "<none>")));
      case NODE -> List.of(
          new Column("STATE", o -> text(o.path("status").path("state"))),
          new Column("ADDRESS", o -> text(o.path("status").path("address"))),
          new Column("DRIVERS", o -> joined(o.path("status").path("drivers"))));
      case INSTANCE -> List.of(
          new Column("OWNER", o -> involved(o.path("spec").path("owner"))),
          new Column("NODE", o -> text(o.path("spec").path("node"))),
          new Column("STATE", o -> text(o.path("status").path("state"))),
          new Column("HEALTH", o -> text(o.path("status").path("health"))),
          new Column("RESTARTS", o -> Integer.toString(o.path("status").path("restarts").asInt())));
      case STACK -> List.of(new Column("RESOURCES",
          o -> Integer.toString(o.path("spec").path("resources").size())));
      case NAMESPACE, EVENT -> List.of();
    };
  }

  /** {@code name=port,...} in the object's order, or {@code none} when empty. */
  public static String ports(JsonNode ports, String none) {
    if (ports.isEmpty()) {
      return none;
    }
    StringBuilder out = new StringBuilder();
    ports.fields().forEachRemaining(e -> out.append(out.isEmpty() ? "" : ",").append(e.getKey()).append('=')
        .append(e.getValue().asInt()));
    return out.toString();
  }

  /** {@code ready/desired} once the server reports status, else the wanted count. */
  private static String replicas(JsonNode service) {
    JsonNode status = service.path("status");
    int wanted = service.path("spec").path("replicas").asInt();
    if (status.has("ready")) {
      return status.path("ready").asInt() + "/" + wanted;
    }
    return Integer.toString(wanted);
  }

  private static String mainTaskDriver(JsonNode tasks) {
    for (JsonNode task : tasks) {
      String lifecycle = task.path("lifecycle").asText("main").toLowerCase(Locale.ROOT);
      if (lifecycle.equals("main")) {
        return text(task.path("driver"));
      }
    }
    return tasks.isEmpty() ? "<none>" : text(tasks.get(0).path("driver"));
  }

  private static String backends(JsonNode route) {
    List<String> out = new ArrayList<>();
    for (JsonNode b : route.path("spec").path("backends")) {
      String one = b.path("service").asText("?");
      if (b.hasNonNull("port")) {
        one += ":" + b.path("port").asText();
      }
      if (b.has("weight") && route.path("spec").path("backends").size() > 1) {
        one += "(" + b.path("weight").asInt() + ")";
      }
      out.add(one);
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String secretKeys(JsonNode secret) {
    JsonNode spec = secret.path("spec");
    int keys = spec.path("data").size() + (spec.hasNonNull("value") ? 1 : 0);
    return Integer.toString(keys);
  }

  private static String joined(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  static String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "<none>";
    }
    String text = node.isValueNode() ? node.asText() : node.toString();
    return text.isEmpty() ? "<none>" : text;
  }
}
