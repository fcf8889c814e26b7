package io.wharf.store.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import io.wharf.store.CompactedException;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns jetcd and gRPC failures into {@link StoreException}s whose messages name the endpoint
 * and the operation; jetcd's own exception is kept only as the cause.
 *
 * <p>An answer from etcd itself ("etcdserver: ...", "mvcc: ...") is a refusal, except the few
 * that mean etcd cannot serve right now (no leader, timeouts), which like every transport
 * failure become "etcd unavailable at ...". Immutable and thread-safe.
 */
final class EtcdFailures {
  private static final List<String> SERVER_UNAVAILABLE = List.of(
      "etcdserver: no leader", "etcdserver: request timed out", "etcdserver: leader changed",
      "etcdserver: too many requests", "etcdserver: server stopped", "etcdserver: not capable");

  final String endpoints;

  EtcdFailures(String endpoints) {
    this.endpoints = endpoints;
  }

  StoreException timedOut(String operation, Duration timeout) {
    return new StoreException("etcd unavailable at " + endpoints + ": " + operation + " got no answer within "
        + timeout);
  }

  StoreException closed(String operation) {
    return new StoreException("etcd store for " + endpoints + " is closed; cannot " + operation);
  }

  StoreException interrupted(String operation, InterruptedException e) {
    return new StoreException("interrupted waiting for etcd at " + endpoints + " to " + operation, e);
  }

  /**
   * The store exception for {@code failure} of {@code operation}; {@code lease} names the lease
   * the operation used, if any, for "lease not found".
   */
  StoreException translate(String operation, Throwable failure, LeaseId lease) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StoreException se) {
      return se;
    }
    if (cause instanceof io.etcd.jetcd.common.exception.CompactedException ce) {
      CompactedException e = new CompactedException(ce.getCompactedRevision());
      e.initCause(ce);
      return e;
    }
    String message = describe(cause);
    if (message.contains("lease not found") && lease != null && !lease.isNone()) {
      LeaseNotFoundException e = new LeaseNotFoundException(lease);
      e.initCause(cause);
      return e;
    }
    if (isServerAnswer(message) && SERVER_UNAVAILABLE.stream().noneMatch(message::contains)) {
      return new StoreException("etcd at " + endpoints + " refused " + operation + ": " + message, cause);
    }
    return new StoreException("etcd unavailable at " + endpoints + ": " + operation + " failed: " + message, cause);
  }

  /** Whether {@code failure} is etcd answering that it will not do this (as opposed to not answering). */
  static boolean isRefusal(Throwable failure) {
    String message = describe(unwrap(failure));
    return isServerAnswer(message) && SERVER_UNAVAILABLE.stream().noneMatch(message::contains);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static boolean isServerAnswer(String message) {
    return message.contains("etcdserver:") || message.contains("mvcc:");
  }

  private static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null && sb.length() < 500; c = c.getCause()) {
      String m = c.getMessage();
      if (m == null || m.isBlank() || sb.indexOf(m) >= 0) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append(": ");
      }
      sb.append(c instanceof EtcdException ? "" : c.getClass().getSimpleName() + " ").append(m.strip());
    }
    return sb.isEmpty() ? t.getClass().getSimpleName() : sb.toString();
  }
}
