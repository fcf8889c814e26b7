package io.wharf.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ages as kubectl shows them: {@code 45s}, {@code 5m}, {@code 3h}, {@code 12d}, {@code 2y}. */
public final class Age {

  private Age() {
  }

  /** The age of an ISO-8601 timestamp at {@code now}; {@code <unknown>} when absent or bad. */
  public static String since(String timestamp, Instant now) {
    if (timestamp == null || timestamp.isBlank()) {
      return "<unknown>";
    }
    try {
      return of(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  public static String of(Duration age) {
    long s = Math.max(0, age.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600 * 3) {
      long m = s / 60;
      return m < 10 && s % 60 != 0 ? m + "m" + (s % 60) + "s" : m + "m";
    }
    if (s < 86400 * 2) {
      long h = s / 3600;
      return h < 8 && (s % 3600) / 60 != 0 ? h + "h" + (s % 3600) / 60 + "m" : h + "h";
    }
    if (s < 86400L * 365 * 2) {
      return s / 86400 + "d";
    }
    return s / (86400L * 365) + "y";
  }
}
