package io.wharf.store.embedded;

import io.wharf.store.LeaseId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The live state of leases: TTL, expiry and attached keys. Expiry times live only in memory
 * (a restarted store grants every lease a fresh TTL, as etcd does); TTLs are persisted by the
 * store and attached keys are rebuilt from the key map when it opens.
 *
 * <p>Not thread-safe: the store guards it with its writer lock.
 */
final class LeaseTable {
  private final Map<Long, Lease> leases = new HashMap<>();

  private static final class Lease {
    final Duration ttl;
    Instant expiry;
    final SortedSet<String> keys = new TreeSet<>(CodePointStringType::compareCodePoints);

    Lease(Duration ttl, Instant expiry) {
      this.ttl = ttl;
      this.expiry = expiry;
    }
  }

  void grant(LeaseId id, Duration ttl, Instant now) {
    leases.put(id.id(), new Lease(ttl, now.plus(ttl)));
  }

  /** Whether the lease exists and has not expired at {@code now}. */
  boolean isLive(LeaseId id, Instant now) {
    Lease l = leases.get(id.id());
    return l != null && l.expiry.isAfter(now);
  }

  boolean exists(LeaseId id) {
    return leases.containsKey(id.id());
  }

  /** Restarts the lease's TTL and returns it, or null when the lease is unknown or expired. */
  Duration renew(LeaseId id, Instant now) {
    Lease l = leases.get(id.id());
    if (l == null || !l.expiry.isAfter(now)) {
      return null;
    }
    l.expiry = now.plus(l.ttl);
    return l.ttl;
  }

  void attach(LeaseId id, String key) {
    if (!id.isNone()) {
      Lease l = leases.get(id.id());
      if (l != null) {
        l.keys.add(key);
      }
    }
  }

  void detach(LeaseId id, String key) {
    if (!id.isNone()) {
      Lease l = leases.get(id.id());
      if (l != null) {
        l.keys.remove(key);
      }
    }
  }

  /** Forgets the lease and returns its keys in key order (empty when it was unknown). */
  List<String> remove(LeaseId id) {
    Lease l = leases.remove(id.id());
    return l == null ? List.of() : new ArrayList<>(l.keys);
  }

  /** Leases whose expiry is at or before {@code now}. */
  List<LeaseId> expiredAt(Instant now) {
    List<LeaseId> expired = new ArrayList<>();
    leases.forEach((id, l) -> {
      if (!l.expiry.isAfter(now)) {
        expired.add(new LeaseId(id));
      }
    });
    return expired;
  }

  int size() {
    return leases.size();
  }
}
