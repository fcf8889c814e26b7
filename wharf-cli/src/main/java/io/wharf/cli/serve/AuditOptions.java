package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.model.quantity.Durations;
import io.wharf.server.audit.AuditSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The audit log's retention and scope, shared by {@code wharf server} and {@code wharf dev}. */
public final class AuditOptions {
  @Option(names = "--audit-retain", paramLabel = "N",
      description = "Keep the newest N audit entries (default: " + AuditSettings.DEFAULT_RETAIN + ").")
  long retain = AuditSettings.DEFAULT_RETAIN;

  @Option(names = "--audit-max-age", paramLabel = "DURATION",
      description = "Drop audit entries older than this (default: 90d; 0: no age limit).")
  String maxAge = "90d";

  @Option(names = "--audit-agent-reports",
      description = "Also audit agents' successful heartbeats and status reports (refused ones always are).")
  boolean agentReports;

  AuditSettings settings() {
    if (retain < 1) {
      throw CliException.usage("--audit-retain must be at least 1, got " + retain);
    }
    Duration age = Durations.parse(maxAge).orElseThrow(() -> CliException.usage(
        "--audit-max-age must be a duration such as 30d, 12h or 0, got \"" + maxAge + "\""));
    return AuditSettings.DEFAULTS.withRetainEntries(retain).withMaxAge(age).withAgentReports(agentReports);
  }
}
