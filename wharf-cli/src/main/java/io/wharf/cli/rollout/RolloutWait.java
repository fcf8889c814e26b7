package io.wharf.cli.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.output.Terminal;
import io.wharf.client.RolloutApi;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until the rollouts an apply started have settled, showing their progress: on a terminal
 * one line per service redrawn in place, otherwise a plain line whenever a service's line
 * changes. Exit: {@link ExitCode#OK} when every rollout succeeded (or paused for a canary
 * promotion), {@link ExitCode#ROLLOUT_FAILED} when one failed or was rolled back,
 * {@link ExitCode#TIMEOUT} when the timeout passed first.
 */
public final class RolloutWait {
  static final Duration POLL = Duration.ofMillis(500);

  /** A service whose rollout is awaited. */
  /**
   * A service to follow; {@code newRollout}: the apply changed configs or secrets it takes, so a
   * rollout started after the apply must be seen (until the controller takes the new revisions,
   * the service's current template is still the old one).
   */
  public record Target(String namespace, String name, boolean newRollout) {
    public Target(String namespace, String name) {
      this(namespace, name, false);
    }
  }

  /** How a service's rollout stands for the apply made at {@code revision}. */
  public enum State { PENDING, SUCCEEDED, PAUSED, FAILED }

  private RolloutWait() {}

  /**
   * How the view stands for an apply committed at {@code revision}: failed when a rollout of a
   * revision at or after it failed or was rolled back; pending until the current template's
   * rollout has settled. Pure.
   */
  public static State state(JsonNode view, long revision) {
    for (JsonNode h : view.path("history")) {
      String phase = h.path("phase").asText();
      if (h.path("revision").asLong() >= revision && (phase.equals("failed") || phase.equals("rolled-back"))) {
        return State.FAILED;
      }
    }
    JsonNode r = view.path("rollout");
    if (view.path("global").asBoolean(false)) {
      return State.SUCCEEDED; // global services are not tracked by rollouts
    }
    if (r.isMissingNode() || !r.path("hash").asText().equals(view.path("template").asText())) {
      return State.PENDING;
    }
    return switch (r.path("phase").asText()) {
      case "succeeded" -> State.SUCCEEDED;
      case "paused" -> State.PAUSED;
      case "failed", "rolled-back" -> State.FAILED;
      default -> State.PENDING;
    };
  }

  /**
   * As {@link #state(JsonNode, long)}; with {@code newRollout} (the apply changed configs or
   * secrets the service takes) a succeeded rollout counts only when it started at or after
   * {@code revision}: before the controller takes the new revisions, the old rollout is current.
   */
  public static State state(JsonNode view, long revision, boolean newRollout) {
    State state = state(view, revision);
    boolean notYet = newRollout && !view.path("global").asBoolean(false)
        && view.path("rollout").path("revision").asLong() < revision;
    return state == State.SUCCEEDED && notYet ? State.PENDING : state;
  }

  /** The reason the rollout of an apply at {@code revision} failed, from the view. */
  static String failure(JsonNode view, long revision) {
    for (JsonNode h : view.path("history")) {
      if (h.path("revision").asLong() >= revision) {
        String phase = h.path("phase").asText();
        if (phase.equals("rolled-back")) {
          return "rolled back: " + h.path("reason").asText();
        }
        if (phase.equals("failed")) {
          return "failed: " + h.path("reason").asText();
        }
      }
    }
    return "failed: " + view.path("rollout").path("message").asText();
  }

  public static int await(RolloutApi api, List<Target> targets, long revision, Duration timeout, PrintStream out,
      Terminal terminal) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Target, String> shown = new LinkedHashMap<>();
    int drawn = 0;
    while (true) {
      Map<Target, JsonNode> views = new LinkedHashMap<>();
      Map<Target, State> states = new LinkedHashMap<>();
      for (Target t : targets) {
        JsonNode view = api.status(t.namespace(), t.name());
        views.put(t, view);
        states.put(t, state(view, revision, t.newRollout()));
      }
      List<String> lines = new ArrayList<>();
      for (Target t : targets) {
        lines.add(RolloutView.line(views.get(t)));
      }
      if (terminal.interactive()) {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
          sb.append("\u001b[").append(drawn).append('A');
        }
        for (String l : lines) {
          sb.append("\r\u001b[2K").append(l).append('\n');
        }
        out.print(sb);
        drawn = lines.size();
      } else {
        for (int i = 0; i < targets.size(); i++) {
          if (!lines.get(i).equals(shown.get(targets.get(i)))) {
            out.println(lines.get(i));
            shown.put(targets.get(i), lines.get(i));
          }
        }
      }
      out.flush();
      List<String> failed = new ArrayList<>();
      boolean pending = false;
      for (Target t : targets) {
        switch (states.get(t)) {
          case FAILED -> failed.add(t.namespace() + "/" + t.name() + ": " + failure(views.get(t), revision));
          case PENDING -> pending = true;
          case SUCCEEDED, PAUSED -> { }
        }
      }
      if (!failed.isEmpty()) {
        failed.forEach(f -> out.println("rollout " + f));
        return ExitCode.ROLLOUT_FAILED.code();
      }
      if (!pending) {
        for (Target t : targets) {
          if (states.get(t) == State.PAUSED) {
            out.println(t.namespace() + "/" + t.name() + ": canaries healthy; promote with: wharf rollout promote "
                + t.name() + " -n " + t.namespace());
          }
        }
        out.println("rollout complete");
        return ExitCode.OK.code();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        out.println("timed out after " + io.wharf.model.quantity.Durations.format(timeout)
            + " waiting for the rollout (it goes on; see wharf rollout status)");
        return ExitCode.TIMEOUT.code();
      }
      Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000))); // the poll period
    }
  }
}
