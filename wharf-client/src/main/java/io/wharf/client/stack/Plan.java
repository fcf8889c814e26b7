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
 * apply is a plan too: the changes committed, with the new revision. {@code startOrder}: the
 * stack's services and jobs in dependency order, as waves that start in parallel (empty when the
 * server does not say).
 */
public record Plan(String stack, String namespace, long revision, List<ResourceChange> changes,
    PlanSummary summary, List<PlacementPreview> placements, List<List<String>> startOrder,
    List<InputRollout> rollouts) {

  public Plan {
    Objects.requireNonNull(stack, "stack");
    namespace = namespace == null ? "" : namespace;
    changes = List.copyOf(changes);
    Objects.requireNonNull(summary, "summary");
    placements = List.copyOf(placements);
    startOrder = startOrder.stream().map(List::copyOf).toList();
    rollouts = List.copyOf(rollouts);
  }

  /** A service rolled out because configs or secrets it takes change ({@code config page changed}). */
  public record InputRollout(String namespace, String name, List<String> because) {
    public InputRollout {
      because = List.copyOf(because);
    }
  }

  public Plan(String stack, String namespace, long revision, List<ResourceChange> changes,
      PlanSummary summary, List<PlacementPreview> placements, List<List<String>> startOrder) {
    this(stack, namespace, revision, changes, summary, placements, startOrder, List.of());
  }

  public Plan(String stack, String namespace, long revision, List<ResourceChange> changes,
      PlanSummary summary, List<PlacementPreview> placements) {
    this(stack, namespace, revision, changes, summary, placements, List.of());
  }

  /** A plan without a placement dry run (an apply's answer, or an older server's plan). */
  public Plan(String stack, String namespace, long revision, List<ResourceChange> changes, PlanSummary summary) {
    this(stack, namespace, revision, changes, summary, List.of());
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
      List<PlacementPreview> placements = new ArrayList<>();
      for (JsonNode p : json.path("placements")) {
        Map<String, Integer> byNode = new java.util.TreeMap<>();
        p.path("nodes").fields().forEachRemaining(e -> byNode.put(e.getKey(), e.getValue().asInt()));
        placements.add(new PlacementPreview(p.path("namespace").asText(""), p.path("name").asText(),
            p.path("instances").asInt(), byNode, p.hasNonNull("reasons") ? p.path("reasons").asText() : null));
      }
      List<InputRollout> rollouts = new ArrayList<>();
      for (JsonNode r : json.path("rollouts")) {
        List<String> because = new ArrayList<>();
        r.path("because").forEach(b -> because.add(b.asText()));
        rollouts.add(new InputRollout(r.path("namespace").asText(""), r.path("name").asText(), because));
      }
      return new Plan(json.path("stack").asText(""), json.path("namespace").asText(""),
          json.path("revision").asLong(), changes, summary, placements, waves(json.path("startOrder")), rollouts);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ClientException("the server's plan is malformed: " + e.getMessage(), e);
    }
  }

  /** {@code [["db", "cache"], ["api"]]} as lists of names. */
  public static List<List<String>> waves(JsonNode json) {
    List<List<String>> waves = new ArrayList<>();
    for (JsonNode wave : json) {
      List<String> names = new ArrayList<>();
      wave.forEach(n -> names.add(n.asText()));
      waves.add(names);
    }
    return waves;
  }

  private static PlanSummary count(List<ResourceChange> changes) {
    Map<ChangeAction, Integer> n = new EnumMap<>(ChangeAction.class);
    changes.forEach(c -> n.merge(c.action(), 1, Integer::sum));
    return new PlanSummary(n.getOrDefault(ChangeAction.CREATE, 0),
        n.getOrDefault(ChangeAction.UPDATE, 0), n.getOrDefault(ChangeAction.DELETE, 0), 0);
  }
}
