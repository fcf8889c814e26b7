package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.store.KeyValue;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the audit log: pages of entries oldest first with filters, and a follow that delivers the
 * backlog and then every new entry exactly once.
 *
 * <p>Thread safety: safe for many threads; a {@link Follow} is used by one reader thread while the
 * store's watch thread fills it.
 */
public final class AuditReader {
  private static final int BATCH = 500;
  /** A page scans at most this many entries, so a filter that matches little still answers quickly. */
  static final int MAX_SCAN = 20_000;
  /** Entries a follower may fall behind by before it is cut off. */
  static final int FOLLOW_QUEUE = 10_000;

  private final Store store;
  private final ObjectMapper json;

  public AuditReader(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * What to read: entries at or after {@code since} (null: any), after sequence {@code after}
   * (0: from the oldest), by {@code principal} (an id, exact), on objects of {@code kind} in
   * {@code namespace}, with {@code verb}; at most {@code limit} a page.
   */
  public record Query(Instant since, long after, String principal, String kind, String namespace, String verb,
      int limit) {
    boolean matches(ObjectNode entry) {
      if (since != null) {
        try {
          if (Instant.parse(entry.path("time").asText()).isBefore(since)) {
            return false;
          }
        } catch (DateTimeParseException e) {
          return false;
        }
      }
      return (principal == null || principal.equals(entry.path("principal").asText()))
          && (kind == null || kind.equals(entry.path("object").path("kind").asText()))
          && (namespace == null || namespace.equals(entry.path("object").path("namespace").asText()))
          && (verb == null || verb.equals(entry.path("verb").asText()));
    }
  }

  /** One page: {@code continueAfter} is the sequence to go on after, or 0 at the end. */
  public record Page(List<ObjectNode> items, long revision, long continueAfter) {}

  public Page page(Query query) {
    long after = Math.max(query.after(), query.since() == null ? 0 : firstAtOrAfter(query.since()) - 1);
    String startAfter = after > 0 ? AuditLog.key(after) : null;
    List<ObjectNode> items = new ArrayList<>();
    long revision = 0;
    int scanned = 0;
    while (true) {
      RangeResult range = store.range(AuditLog.PREFIX, startAfter, BATCH);
      if (revision == 0) {
        revision = range.revision();
      }
      for (KeyValue kv : range.kvs()) {
        scanned++;
        startAfter = kv.key();
        ObjectNode entry = AuditLog.decode(json, kv);
        if (query.matches(entry)) {
          items.add(entry);
          if (items.size() == query.limit()) {
            return new Page(items, revision, AuditLog.sequenceOf(kv.key()));
          }
        }
        if (scanned >= MAX_SCAN) {
          return new Page(items, revision, AuditLog.sequenceOf(kv.key()));
        }
      }
      if (!range.more()) {
        return new Page(items, revision, 0);
      }
    }
  }

  /** The smallest sequence whose entry is at or after {@code since} (binary search; times rise with it). */
  long firstAtOrAfter(Instant since) {
    List<KeyValue> first = store.range(AuditLog.PREFIX, null, 1).kvs();
    if (first.isEmpty()) {
      return 1;
    }
    long lo = AuditLog.sequenceOf(first.get(0).key());
    long hi = AuditLog.read(store).last() + 1; // the answer is in [lo, hi]
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      Optional<Instant> at = store.get(AuditLog.key(mid)).map(kv -> time(AuditLog.decode(json, kv)));
      if (at.isEmpty() || at.get().isBefore(since)) {
        lo = mid + 1; // pruned meanwhile (older), or older than since
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static Instant time(ObjectNode entry) {
    try {
      return Instant.parse(entry.path("time").asText());
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** Starts following: the backlog the query selects, then every new matching entry. */
  public Follow follow(Query query) {
    return new Follow(query);
  }

  /** A follower; {@link #poll} hands out entries in sequence order, each once. */
  public final class Follow implements AutoCloseable {
    private final Query query;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Watch watch;
    private final java.util.ArrayDeque<ObjectNode> backlog = new java.util.ArrayDeque<>();
    private Query backlogQuery; // null once the backlog is read
    private long last;
    private volatile boolean overflowed;

    private Follow(Query query) {
      this.query = query;
      long from = store.revision() + 1;
      this.watch = store.watch(AuditLog.PREFIX, from, new WatchListener() {
        @Override
        public void onEvents(List<WatchEvent> events) {
          for (WatchEvent e : events) {
            if (e.type() == WatchEvent.Type.PUT) {
              if (queue.size() >= FOLLOW_QUEUE) {
                overflowed = true;
                queue.offer(End.OVERFLOW);
                return;
              }
              queue.offer(AuditLog.decode(json, e.kv()));
            }
          }
        }

        @Override
        public void onCompacted(long compactRevision) {
          queue.offer(End.GONE);
        }

        @Override
        public void onError(Throwable cause) {
          queue.offer(End.GONE);
        }
      });
      // Entries committed before the watch started are read from the log, a page at a time as the
      // follower drains them; any the watch delivers too are skipped by sequence, as sequences
      // follow commit order.
      long after = query.after();
      if (query.since() == null && after == 0) {
        after = AuditLog.read(store).last();
      }
      this.last = after;
      this.backlogQuery = new Query(query.since(), after, query.principal(), query.kind(), query.namespace(),
          query.verb(), BATCH);
    }

    /** The next backlog entry, reading the next page when the last is used up; null at its end. */
    private ObjectNode nextBacklog() {
      while (backlog.isEmpty() && backlogQuery != null) {
        Page p = page(backlogQuery);
        backlog.addAll(p.items());
        backlogQuery = p.continueAfter() == 0 ? null : new Query(backlogQuery.since(), p.continueAfter(),
            backlogQuery.principal(), backlogQuery.kind(), backlogQuery.namespace(), backlogQuery.verb(), BATCH);
      }
      return backlog.poll();
    }

    /** Why a follow ended. */
    public enum End { OVERFLOW, GONE }

    /**
     * The next entry, null when none came within {@code timeout}, or an {@link End}.
     */
    public Object poll(Duration timeout) throws InterruptedException {
      ObjectNode next;
      while ((next = nextBacklog()) != null) {
        long n = next.path("sequence").asLong();
        if (n > last) {
          last = n;
          return next;
        }
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        Object item = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (item == null || item instanceof End) {
          return item;
        }
        ObjectNode entry = (ObjectNode) item;
        long n = entry.path("sequence").asLong();
        if (n > last) {
          last = n;
          if (query.matches(entry)) {
            return entry;
          }
        }
        if (left <= 0) {
          return null;
        }
      }
    }

    public boolean overflowed() {
      return overflowed;
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
