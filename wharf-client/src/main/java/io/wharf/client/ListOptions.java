package io.wharf.client;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Filters and paging of a list call. {@code namespace} null lists across namespaces;
 * {@code labels} must all match; {@code limit} 0 lets the server choose (500);
 * {@code continueToken} null starts at the first page.
 */
public record ListOptions(String namespace, Map<String, String> labels, int limit, String continueToken) {

  public static final ListOptions ALL = new ListOptions(null, Map.of(), 0, null);

  public ListOptions {
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    if (limit < 0 || limit > 1000) {
      throw new IllegalArgumentException("limit must be within 0..1000, got " + limit);
    }
  }

  public static ListOptions inNamespace(String namespace) {
    return new ListOptions(namespace, Map.of(), 0, null);
  }

  public ListOptions withLabels(Map<String, String> labels) {
    return new ListOptions(namespace, labels, limit, continueToken);
  }

  public ListOptions withLimit(int limit) {
    return new ListOptions(namespace, labels, limit, continueToken);
  }

  public ListOptions withContinue(String token) {
    return new ListOptions(namespace, labels, limit, token);
  }

  /** The {@code labels} query value: {@code k=v,k2=v2} in key order (stable for tests). */
  String labelSelector() {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(labels).forEach((k, v) -> {
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(k).append('=').append(v);
    });
    return out.toString();
  }
}
