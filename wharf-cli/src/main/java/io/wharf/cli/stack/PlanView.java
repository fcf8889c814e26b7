package io.wharf.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.output.Ansi;
import io.wharf.cli.output.Terminal;
import io.wharf.client.stack.FieldChange;
import io.wharf.client.stack.Plan;
import io.wharf.client.stack.PlanSummary;
import io.wharf.client.stack.ResourceChange;

/**
 * A plan as people read plans (terraform, nomad): one line per resource with a sign
 * ({@code +} create, {@code ~} update, {@code -} delete), the changed fields of updates as
 * {@code path: old → new}, and a summary line. Values of secrets show as
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
    out.append('\n').append(summary(plan.summary())).append('\n');
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
