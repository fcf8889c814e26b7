package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.sequenced.SequencedLogPruner;
import io.wharf.store.Store;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Keeps the audit log within {@link AuditSettings}: deletes the oldest entries while more than
 * {@code retainEntries} exist or while the oldest is older than {@code maxAge}, on its own virtual
 * thread (the leader's duty, like the event pruner). It deletes from the old end only and stops at
 * the first entry it keeps, so a newer entry is never lost; an entry without a readable time is
 * kept until the count pushes it out.
 */
public final class AuditPruner extends SequencedLogPruner {
  public AuditPruner(Store store, ObjectMapper json, AuditSettings settings, InstantSource clock) {
    super(store, AuditLog.LOG, retention(json, settings), settings.pruneInterval(), clock, "audit", "audit entries");
  }

  static int prune(Store store, ObjectMapper json, AuditSettings settings, Instant now) {
    return prune(store, AuditLog.LOG, retention(json, settings), now);
  }

  private static Retention retention(ObjectMapper json, AuditSettings settings) {
    return new Retention(settings.retainEntries(), settings.maxAge(), kv -> AuditLog.timeOf(json, kv));
  }
}
