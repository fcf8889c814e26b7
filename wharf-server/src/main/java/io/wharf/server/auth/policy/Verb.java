package io.wharf.server.auth.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller does to a kind. The CRUD verbs, {@code watch}, and two that are not reads or
 * writes of an object: {@code reveal} (reading a Secret's value; a plain get shows it redacted)
 * and {@code exec} (running a command in an instance). Operator actions (drain, rebalance, cron
 * trigger, rollout promote, job run) are {@code update} of the kind they act on.
 */
public enum Verb {
  GET, LIST, WATCH, CREATE, UPDATE, DELETE, REVEAL, EXEC;

  /** The name in rules, messages and the CLI: {@code get}, {@code reveal}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Verb> parse(String text) {
    return Arrays.stream(values()).filter(v -> v.wire().equals(text)).findFirst();
  }

  @Override
  public String toString() {
    return wire();
  }
}
