package io.wharf.server.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * How long audit entries are kept and what is audited.
 *
 * @param retainEntries the newest this many entries are kept (older ones are pruned)
 * @param maxAge entries older than this are pruned even when fewer than {@code retainEntries}
 *     exist ({@link Duration#ZERO}: no age limit)
 * @param agentReports whether successful agent heartbeats and instance status reports are audited
 *     (off by default: an agent sends one every few seconds; refused ones are always audited)
 * @param pruneInterval how often the leader prunes
 */
public record AuditSettings(long retainEntries, Duration maxAge, boolean agentReports, Duration pruneInterval) {
  public static final long DEFAULT_RETAIN = 100_000;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);
  public static final AuditSettings DEFAULTS = new AuditSettings(DEFAULT_RETAIN, DEFAULT_MAX_AGE, false,
      Duration.ofSeconds(60));

  public AuditSettings {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(pruneInterval, "pruneInterval");
    if (retainEntries < 1) {
      throw new IllegalArgumentException("audit retention must keep at least 1 entry, got " + retainEntries);
    }
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("audit max age must not be negative, got " + maxAge);
    }
    if (pruneInterval.toMillis() < 1) {
      throw new IllegalArgumentException("audit prune interval must be positive, got " + pruneInterval);
    }
  }

  public AuditSettings withRetainEntries(long n) {
    return new AuditSettings(n, maxAge, agentReports, pruneInterval);
  }

  public AuditSettings withMaxAge(Duration age) {
    return new AuditSettings(retainEntries, age, agentReports, pruneInterval);
  }

  public AuditSettings withAgentReports(boolean on) {
    return new AuditSettings(retainEntries, maxAge, on, pruneInterval);
  }

  public AuditSettings withPruneInterval(Duration interval) {
    return new AuditSettings(retainEntries, maxAge, agentReports, interval);
  }
}
