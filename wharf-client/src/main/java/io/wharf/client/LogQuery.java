package io.wharf.client;

import java.time.Duration;

/**
 * Which log lines of an instance: one task ({@code null}: the main task), only lines of the
 * last {@code since} ({@code null}: all kept), and whether to keep following new lines.
 */
public record LogQuery(String task, Duration since, boolean follow) {

  public static final LogQuery ALL = new LogQuery(null, null, false);

  public LogQuery {
    if (since != null && since.isNegative()) {
      throw new IllegalArgumentException("since must not be negative, got " + since);
    }
  }

  /** The query string of the logs endpoints (server and agent share it), with a leading '?' or empty. */
  public String queryString() {
    java.util.Map<String, String> query = new java.util.LinkedHashMap<>();
    if (task != null) {
      query.put("task", task);
    }
    if (since != null) {
      query.put("since", since.toMillis() + "ms");
    }
    if (follow) {
      query.put("follow", "true");
    }
    return WharfClient.queryString(query);
  }
}
