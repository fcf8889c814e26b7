package io.wharf.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;

/** One audit entry as a fixed-width line (rows of a followed log arrive one by one). */
final class AuditLine {
  private static final String FORMAT = "%-20s %-22s %-13s %-36s %-9s %-6s %s";

  private AuditLine() {
  }

  static String header() {
    return String.format(FORMAT, "TIME", "PRINCIPAL", "VERB", "OBJECT", "REVISION", "RESULT", "SOURCE").stripTrailing();
  }

  static String of(JsonNode entry) {
    JsonNode revision = entry.path("revision");
    JsonNode result = entry.path("result");
    String outcome = result.path("status").asText("?");
    if (entry.has("refused")) {
      outcome += "x" + entry.path("refused").path("count").asText("?"); // stands for that many refused calls
    }
    return String.format(FORMAT, time(entry.path("time").asText("")), entry.path("principal").asText(""),
        entry.path("verb").asText(""), object(entry.path("object")),
        revision.isNumber() ? revision.asText() : "-", outcome,
        entry.path("request").path("source").asText("")).stripTrailing();
  }

  /** To the second, in UTC: the JSON output keeps the full precision. */
  static String time(String at) {
    try {
      return java.time.Instant.parse(at).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (java.time.format.DateTimeParseException e) {
      return at;
    }
  }

  /** {@code Kind/namespace/name}, {@code Kind/name} when cluster-scoped, {@code -} when none. */
  static String object(JsonNode object) {
    if (object == null || object.isNull() || object.isMissingNode()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder(object.path("kind").asText("?"));
    if (object.hasNonNull("namespace")) {
      sb.append('/').append(object.path("namespace").asText());
    }
    if (object.hasNonNull("name")) {
      sb.append('/').append(object.path("name").asText());
    }
    return sb.toString();
  }
}
