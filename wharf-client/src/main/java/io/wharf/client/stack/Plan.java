package io.wharf.client.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What applying a stack changes, read at store revision {@code revision}. Apply with
 * {@code expectRevision = revision} to commit exactly what was reviewed. The response of an
 * apply is a plan too: the changes committed, with the new revision.
 */
public record Plan(String stack, String namespace, long revision, List<ResourceChange> changes,
    PlanSummary summary) {

  public Plan {
    Objects.requireNonNull(stack, "stack");
    namespace = namespace == null ? "" : namespace;
    changes = List.copyOf(changes);
    Objects.requireNonNull(summary, "summary");
  }

  public boolean hasChanges() {
    return !changes.isEmpty() || summary.hasChanges();
  }

  /**
   * Reads the API's JSON form. When the server omits the summary it is counted from the
   * changes (unchanged then unknown: 0).
   *
   * @throws ClientException when the JSON is not a plan
   */
  public static Plan fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new ClientException("the server's plan is not a JSON object");
    }
    try {
      List<ResourceChange> changes = new ArrayList<>();
      for (JsonNode c : json.path("changes")) {
        List<FieldChange> diff = new ArrayList<>();
        for (JsonNode d : c.path("diff")) {
          diff.add(new FieldChange(d.path("path").asText(), d.get("old"), d.get("new")));
        }
        changes.add(new ResourceChange(ChangeAction.parse(c.path("action").asText()),
            c.path("kind").asText(), c.path("namespace").asText(""), c.path("name").asText(),
            diff));
      }
      JsonNode s = json.path("summary");
      PlanSummary summary = s.isObject()
          ? new PlanSummary(s.path("create").asInt(), s.path("update").asInt(),
              s.path("delete").asInt(), s.path("unchanged").asInt())
          : count(changes);
      return new Plan(json.path("stack").asText(""), json.path("namespace").asText(""),
          json.path("revision").asLong(), changes, summary);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ClientException("the server's plan is malformed: " + e.getMessage(), e);
    }
  }

  private static PlanSummary count(List<ResourceChange> changes) {
    Map<ChangeAction, Integer> n = new EnumMap<>(ChangeAction.class);
    changes.forEach(c -> n.merge(c.action(), 1, Integer::sum));
    return new PlanSummary(n.getOrDefault(ChangeAction.CREATE, 0),
        n.getOrDefault(ChangeAction.UPDATE, 0), n.getOrDefault(ChangeAction.DELETE, 0), 0);
  }
}
