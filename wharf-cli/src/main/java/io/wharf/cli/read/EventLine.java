package io.wharf.cli.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One event as a fixed-width line, for {@code events --follow} where rows arrive one by one
 * and cannot be aligned as a whole table.
 */
public final class EventLine {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final String FORMAT = "%-9s %-12s %-10s %-14s %-24s %s";

  private EventLine() {
  }

  public static String header() {
    return String.format(FORMAT, "TIME", "NAMESPACE", "TYPE", "REASON", "OBJECT", "MESSAGE")
        .stripTrailing();
  }

  public static String of(JsonNode event) {
    JsonNode spec = event.path("spec");
    return String.format(FORMAT, time(spec.path("at").asText(null)),
        Columns.text(event.path("metadata").path("namespace")), Columns.text(spec.path("type")),
        Columns.text(spec.path("reason")), Columns.involved(spec.path("involved")),
        Columns.text(spec.path("message"))).stripTrailing();
  }

  private static String time(String at) {
    if (at == null) {
      return "<none>";
    }
    try {
      return TIME.format(Instant.parse(at));
    } catch (DateTimeParseException e) {
      return at;
    }
  }
}
