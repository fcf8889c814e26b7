package io.wharf.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.output.Ansi;
import io.wharf.cli.output.Terminal;
import io.wharf.client.stack.FieldChange;
import io.wharf.client.stack.PlacementPreview;
import io.wharf.client.stack.Plan;
import io.wharf.client.stack.PlanSummary;
import io.wharf.client.stack.ResourceChange;

/**
 * A plan as people read plans (terraform, nomad): one line per resource with a sign
 * ({@code +} create, {@code ~} update, {@code -} delete), the changed fields of updates as
 * {@code path: old → new}, and a summary line; when services depend on each other, the start
 * order ({@code Start order: 1. db, cache  2. api}); services rolled out because configs or secrets
 * they take change ({@code ~ roll out Service web: config page changed}). Values of secrets show as
 * {@code (sensitive)}. Pure.
 */
public final class PlanView {

  static final int MAX_VALUE_WIDTH = 80;

  private final Ansi ansi;
  private final String arrow;

  public PlanView(Ansi ansi, String arrow) {
    this.ansi = ansi;
    this.arrow = arrow;
  }

  public static PlanView forTerminal(Terminal terminal) {
    return new PlanView(terminal.ansi(), terminal.arrow());
  }

  public String render(Plan plan) {
    StringBuilder out = new StringBuilder();
    out.append("Stack ").append(ansi.bold(plan.stack()));
    if (!plan.namespace().isEmpty()) {
      out.append(" in namespace ").append(plan.namespace());
    }
    out.append(" (at revision ").append(plan.revision()).append("):\n");
    if (!plan.hasChanges()) {
      out.append("\nNo changes. ").append(upToDate(plan.summary().unchanged())).append('\n');
      return out.toString();
    }
    out.append('\n');
    for (ResourceChange change : plan.changes()) {
      String line = switch (change.action()) {
        case CREATE -> ansi.green("+ create");
        case UPDATE -> ansi.yellow("~ update");
        case DELETE -> ansi.red("- delete");
      };
      out.append("  ").append(line).append(' ').append(change.kind()).append(' ')
          .append(change.qualifiedName()).append('\n');
      boolean sensitive = change.kind().equals("Secret");
      for (FieldChange field : change.diff()) {
        out.append("      ").append(field.path()).append(": ")
            .append(sensitive ? "(sensitive)" : value(field.oldValue())).append(' ')
            .append(arrow).append(' ')
            .append(sensitive ? "(sensitive)" : value(field.newValue())).append('\n');
      }
    }
    for (Plan.InputRollout r : plan.rollouts()) {
      out.append("  ").append(ansi.yellow("~ roll out")).append(" Service ").append(r.name()).append(": ")
          .append(String.join(", ", r.because())).append('\n');
    }
    out.append('\n').append(summary(plan.summary())).append('\n');
    if (plan.startOrder().size() > 1) {
      out.append('\n').append(order("Start order", plan.startOrder())).append('\n');
    }
    if (!plan.placements().isEmpty()) {
      out.append('\n').append(placements(plan.placements()));
    }
    return out.toString();
  }

  /** How many nodes a placement line names before "and N more". */
  static final int NODES_SHOWN = 5;

  /**
   * The dry run of placing new instances: {@code web: 3 new instances on n1 (2), n2 (1)}, or
   * {@code ! db: 1 of 3 new instances can be placed, on n1 (1); the rest cannot:} and one cause
   * per line ({@code 3 nodes: not enough memory ...}).
   */
  String placements(java.util.List<PlacementPreview> previews) {
    StringBuilder out = new StringBuilder("Placement (dry run on the cluster as it is now):\n");
    for (PlacementPreview p : previews) {
      String nodes = onNodes(p);
      if (p.reasons() == null) {
        out.append("  ").append(ansi.green("+")).append(' ').append(p.name()).append(": ").append(p.instances())
            .append(p.instances() == 1 ? " new instance" : " new instances").append(nodes).append('\n');
      } else {
        out.append("  ").append(ansi.red("!")).append(' ').append(p.name()).append(": ")
            .append(p.placed() == 0 ? "none" : p.placed()).append(" of ").append(p.instances())
            .append(p.instances() == 1 ? " new instance" : " new instances").append(" can be placed")
            .append(p.placed() == 0 ? ":\n" : "," + nodes + "; the rest cannot:\n");
        for (String group : p.reasons().split("; ")) {
          out.append("      ").append(group).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String onNodes(PlacementPreview p) {
    if (p.byNode().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" on ");
    int shown = 0;
    for (var e : p.byNode().entrySet()) {
      if (shown == NODES_SHOWN) {
        out.append(" and ").append(p.byNode().size() - shown).append(" more nodes");
        break;
      }
      out.append(shown == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
      shown++;
    }
    return out.toString();
  }

  /**
   * Waves of names that start (or stop) together, numbered: {@code Start order: 1. db, cache  2. api}.
   */
  public static String order(String title, java.util.List<java.util.List<String>> waves) {
    StringBuilder out = new StringBuilder(title).append(':');
    for (int i = 0; i < waves.size(); i++) {
      out.append(i == 0 ? " " : "  ").append(i + 1).append(". ").append(String.join(", ", waves.get(i)));
    }
    return out.toString();
  }

  /** {@code Plan: 1 to create, 1 to update, 1 to delete, 4 unchanged.} */
  public static String summary(PlanSummary s) {
    return "Plan: " + s.create() + " to create, " + s.update() + " to update, " + s.delete()
        + " to delete, " + s.unchanged() + " unchanged.";
  }

  /** {@code Applied at revision 58: 1 created, 1 updated, 1 deleted.} */
  public static String applied(Plan applied) {
    PlanSummary s = applied.summary();
    return "Applied at revision " + applied.revision() + ": " + s.create() + " created, "
        + s.update() + " updated, " + s.delete() + " deleted.";
  }

  private static String upToDate(int unchanged) {
    return unchanged == 1 ? "1 resource is up to date."
        : unchanged + " resources are up to date.";
  }

  static String value(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "(none)";
    }
    String text = value.toString();
    return text.length() <= MAX_VALUE_WIDTH ? text : text.substring(0, MAX_VALUE_WIDTH - 3) + "...";
  }
}
