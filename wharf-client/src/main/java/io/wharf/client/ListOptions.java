package io.wharf.client;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Filters and paging of a list call. {@code namespace} null lists across namespaces;
 * {@code labels} must all match; {@code limit} 0 lets the server choose (500);
 * {@code continueToken} null starts at the first page; {@code node} (instances only) keeps the
 * instances placed on that node, null for all.
 */
public record ListOptions(String namespace, Map<String, String> labels, int limit, String continueToken,
    String node) {

  public static final ListOptions ALL = new ListOptions(null, Map.of(), 0, null);

  public ListOptions {
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    if (limit < 0 || limit > 1000) {
      throw new IllegalArgumentException("limit must be within 0..1000, got " + limit);
    }
  }

  public ListOptions(String namespace, Map<String, String> labels, int limit, String continueToken) {
    this(namespace, labels, limit, continueToken, null);
  }

  public static ListOptions inNamespace(String namespace) {
    return new ListOptions(namespace, Map.of(), 0, null);
  }

  public ListOptions withLabels(Map<String, String> labels) {
    return new ListOptions(namespace, labels, limit, continueToken, node);
  }

  public ListOptions withLimit(int limit) {
    return new ListOptions(namespace, labels, limit, continueToken, node);
  }

  public ListOptions withContinue(String token) {
    return new ListOptions(namespace, labels, limit, token, node);
  }

  /** Only instances placed on {@code node} (the {@code node} query parameter). */
  public ListOptions onNode(String node) {
    return new ListOptions(namespace, labels, limit, continueToken, node);
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
