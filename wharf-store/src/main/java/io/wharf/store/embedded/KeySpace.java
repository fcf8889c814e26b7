package io.wharf.store.embedded;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.StoreException;
import io.wharf.store.Txn;
import io.wharf.store.Txn.Compare;
import io.wharf.store.Txn.Delete;
import io.wharf.store.Txn.DeletePrefix;
import io.wharf.store.Txn.Op;
import io.wharf.store.Txn.Put;
import io.wharf.store.TxnResult;
import io.wharf.store.TxnTooLargeException;
import io.wharf.store.WatchEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.RootReference;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The store's state machine over its MVStore maps: keys (key → encoded {@link KeyValue}),
 * history (revision → that revision's events), meta (revision, compacted revision, lease
 * counter, format) and lease TTLs, plus the in-memory {@link LeaseTable}.
 *
 * <p>Revisions follow etcd: a fresh store is at revision 1; an operation that changes at least
 * one key advances the revision by one; one that changes nothing (a failed compare without
 * failure ops, deletes of missing keys, a lease without keys expiring) does not.
 *
 * <p>Thread safety: mutations run on one thread only (the store's applier). {@link #history()}
 * and {@link #compactedRevision()} may be read from any thread.
 */
final class KeySpace {
  private static final long FORMAT = 1;
  private static final String META_FORMAT = "format";
  private static final String META_REVISION = "revision";
  private static final String META_COMPACTED = "compacted";
  private static final String META_LEASE_COUNTER = "leaseCounter";
  private static final String META_WAL_SEQ = "walSeq";
  private static final byte WAL_REVISION = 1;
  private static final byte WAL_GRANT = 2;
  private static final byte WAL_REVOKE = 3;
  private static final byte WAL_COMPACT = 4;

  private final MVStore mv;
  private final EmbeddedStoreOptions options;
  private final MVMap<String, byte[]> keys;
  private final MVMap<Long, byte[]> history;
  private final MVMap<String, Long> meta;
  private final MVMap<Long, Long> leaseTtls;
  private final LeaseTable leases = new LeaseTable();

  private long revision;
  private long leaseCounter;
  private volatile long compactedRevision;
  private boolean dirty;
  private boolean checkpointDue;
  private List<RevisionEvents> pending = new ArrayList<>();
  /** The last write-ahead-log sequence number handed out. */
  private long walSeq;
  private List<byte[]> walRecords = new ArrayList<>();
  private boolean replayed;

  /**
   * Opens the maps and replays {@code wal} (the write-ahead log's records, oldest first) over
   * them: records past the last checkpoint are applied again. Afterwards, if
   * {@link #replayed()}, the caller must checkpoint before it starts a fresh log.
   */
  KeySpace(MVStore mv, EmbeddedStoreOptions options, String where, List<ByteBuffer> wal) {
    this.mv = mv;
    this.options = options;
    this.keys = mv.openMap("keys", new MVMap.Builder<String, byte[]>()
        .keyType(CodePointStringType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.history = mv.openMap("history", new MVMap.Builder<Long, byte[]>()
        .keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.meta = mv.openMap("meta", new MVMap.Builder<String, Long>()
        .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    this.leaseTtls = mv.openMap("leases", new MVMap.Builder<Long, Long>()
        .keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    Long format = meta.get(META_FORMAT);
    if (format == null) {
      meta.put(META_FORMAT, FORMAT);
      meta.put(META_REVISION, 1L);
      mv.commit();
    } else if (format != FORMAT) {
      throw new StoreException("embedded store in " + where + " has format " + format
          + "; this version reads format " + FORMAT);
    }
    // The revision is written to meta only when compaction may empty the history; otherwise
    // the newest history entry is the revision (one page less to write per commit).
    Long newest = history.lastKey();
    this.revision = Math.max(meta.getOrDefault(META_REVISION, 1L), newest == null ? 0 : newest);
    this.compactedRevision = meta.getOrDefault(META_COMPACTED, 0L);
    this.leaseCounter = meta.getOrDefault(META_LEASE_COUNTER, 0L);
    this.walSeq = meta.getOrDefault(META_WAL_SEQ, 0L);
    replay(wal);
    // Leases restart their TTL on open, as etcd's do after a leader change.
    Instant now = options.clock().instant();
    for (Map.Entry<Long, Long> e : leaseTtls.entrySet()) {
      leases.grant(new LeaseId(e.getKey()), Duration.ofMillis(e.getValue()), now);
    }
    for (Cursor<String, byte[]> c = keys.cursor(null); c.hasNext(); ) {
      String key = c.next();
      leases.attach(RecordCodec.lease(c.getValue()), key);
    }
  }

  long revision() {
    return revision;
  }

  /** Whether opening replayed write-ahead-log records not yet in the MVStore file. */
  boolean replayed() {
    return replayed;
  }

  private void replay(List<ByteBuffer> records) {
    long checkpointed = walSeq;
    for (ByteBuffer r : records) {
      ByteBuffer in = r.duplicate();
      long seq = DataUtils.readVarLong(in);
      byte type = in.get();
      long a = DataUtils.readVarLong(in);
      if (seq <= checkpointed) {
        continue;
      }
      switch (type) {
        case WAL_REVISION -> {
          byte[] body = new byte[in.remaining()];
          in.get(body);
          for (WatchEvent e : RecordCodec.decodeEvents(body)) {
            if (e.type() == WatchEvent.Type.PUT) {
              keys.put(e.kv().key(), RecordCodec.encodeValue(e.kv()));
            } else {
              keys.remove(e.kv().key());
            }
          }
          history.put(a, body);
          revision = Math.max(revision, a);
        }
        case WAL_GRANT -> {
          leaseTtls.put(a, DataUtils.readVarLong(in));
          leaseCounter = Math.max(leaseCounter, a);
          meta.put(META_LEASE_COUNTER, leaseCounter);
        }
        case WAL_REVOKE -> leaseTtls.remove(a);
        case WAL_COMPACT -> {
          if (a > compactedRevision) {
            compactedRevision = a;
            meta.put(META_COMPACTED, a);
          }
        }
        default -> throw new StoreException("write-ahead log record " + seq + " has unknown type " + type);
      }
      walSeq = seq;
      replayed = true;
    }
  }

  private void log(byte type, long a, byte[] body) {
    RecordCodec.Bytes out = new RecordCodec.Bytes(24 + (body == null ? 0 : body.length));
    out.putVarLong(++walSeq).put(type).putVarLong(a);
    if (body != null) {
      out.put(body);
    }
    walRecords.add(out.toArray());
  }

  /** Whether changes were taken since the last checkpoint. */
  boolean checkpointDue() {
    return checkpointDue;
  }

  /** Records in meta what the next MVStore commit will hold; call right before committing. */
  void prepareCheckpoint() {
    meta.put(META_REVISION, revision);
    meta.put(META_WAL_SEQ, walSeq);
    checkpointDue = false;
  }

  long compactedRevision() {
    return compactedRevision;
  }

  MVMap<String, byte[]> keys() {
    return keys;
  }

  /** Whether anything changed since the last {@link #takeChanges()}. */
  boolean dirty() {
    return dirty;
  }

  /**
   * Ends a group of mutations before a commit: returns the revisions made since last time and
   * the key map's root at this point.
   */
  Changes takeChanges() {
    Changes c = new Changes(pending, walRecords, keys.getRoot(), revision);
    pending = new ArrayList<>();
    walRecords = new ArrayList<>();
    dirty = false;
    checkpointDue = true;
    return c;
  }

  /** What a batch changed: revisions for watches, records for the log, the new read root. */
  record Changes(List<RevisionEvents> revisions, List<byte[]> walRecords,
      RootReference<String, byte[]> keysRoot, long revision) {}

  // ---- transactions -------------------------------------------------------------------

  /**
   * Rejects what etcd rejects, so code that works here works there: too many operations or
   * bytes, an empty key, a key put twice, or a key both put and deleted in one branch. Pure;
   * linear in the operations (a prefix delete checks every put), so a 10,000-op branch is cheap.
   */
  static void validate(List<Op> ops, int maxOps, long maxBytes) {
    if (ops.size() > maxOps) {
      throw new TxnTooLargeException("too many operations in txn: " + ops.size() + " > " + maxOps);
    }
    Set<String> puts = new HashSet<>();
    long bytes = 0;
    for (Op op : ops) {
      switch (op) {
        case Put p -> {
          requireKey(p.key());
          Objects.requireNonNull(p.value(), "value");
          Objects.requireNonNull(p.lease(), "lease");
          if (!puts.add(p.key())) {
            throw new IllegalArgumentException("duplicate key in txn: " + p.key() + " is put twice");
          }
          bytes += p.key().length() + p.value().length;
        }
        case Delete d -> requireKey(d.key());
        case DeletePrefix d -> Objects.requireNonNull(d.prefix(), "prefix");
      }
    }
    if (bytes > maxBytes) {
      throw new TxnTooLargeException("txn too large: " + bytes + " bytes of keys and values > " + maxBytes);
    }
    for (Op op : ops) {
      switch (op) {
        case Put p -> { }
        case Delete d -> {
          if (puts.contains(d.key())) {
            throw new IllegalArgumentException("duplicate key in txn: " + d.key() + " is put and deleted");
          }
        }
        case DeletePrefix d -> {
          for (String put : puts) {
            if (put.startsWith(d.prefix())) {
              throw new IllegalArgumentException("duplicate key in txn: " + put + " is put and deleted");
            }
          }
        }
      }
    }
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key: must not be empty");
    }
  }

  /** Applies an already validated transaction. */
  TxnResult txn(Txn txn) {
    boolean ok = comparesHold(txn.compares());
    List<Op> ops = ok ? txn.onSuccess() : txn.onFailure();
    Instant now = options.clock().instant();
    for (Op op : ops) {
      if (op instanceof Put p && !p.lease().isNone() && !leases.isLive(p.lease(), now)) {
        throw new LeaseNotFoundException(p.lease());
      }
    }
    long rev = revision + 1;
    List<WatchEvent> events = new ArrayList<>();
    for (Op op : ops) {
      switch (op) {
        case Put p -> putKey(p, rev, events);
        case Delete d -> deleteKey(d.key(), rev, events);
        case DeletePrefix d -> {
          for (String key : keysUnder(d.prefix())) {
            deleteKey(key, rev, events);
          }
        }
      }
    }
    recordRevision(events);
    return new TxnResult(ok, revision);
  }

  private boolean comparesHold(List<Compare> compares) {
    for (Compare c : compares) {
      byte[] value = keys.get(c.key());
      long mod = value == null ? 0 : RecordCodec.modRevision(value);
      if (mod != c.modRevision()) {
        return false;
      }
    }
    return true;
  }

  private void putKey(Put p, long rev, List<WatchEvent> events) {
    byte[] old = keys.get(p.key());
    KeyValue prev = old == null ? null : RecordCodec.decodeValue(p.key(), old);
    KeyValue next = new KeyValue(p.key(), p.value().clone(),
        prev == null ? rev : prev.createRevision(), rev, prev == null ? 1 : prev.version() + 1,
        p.lease());
    keys.put(p.key(), RecordCodec.encodeValue(next));
    if (prev != null) {
      leases.detach(prev.lease(), p.key());
    }
    leases.attach(p.lease(), p.key());
    events.add(new WatchEvent(WatchEvent.Type.PUT, next, prev));
  }

  private void deleteKey(String key, long rev, List<WatchEvent> events) {
    byte[] old = keys.remove(key);
    if (old != null) {
      KeyValue prev = RecordCodec.decodeValue(key, old);
      leases.detach(prev.lease(), key);
      events.add(new WatchEvent(WatchEvent.Type.DELETE, RecordCodec.tombstone(key, rev), prev));
    }
  }

  private List<String> keysUnder(String prefix) {
    List<String> found = new ArrayList<>();
    for (Cursor<String, byte[]> c = keys.cursor(prefix); c.hasNext(); ) {
      String key = c.next();
      if (!key.startsWith(prefix)) {
        break;
      }
      found.add(key);
    }
    return found;
  }

  /** Makes the applied events the next revision, if there are any. */
  private void recordRevision(List<WatchEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    long rev = revision + 1;
    byte[] encoded = RecordCodec.encodeEvents(events);
    history.put(rev, encoded);
    log(WAL_REVISION, rev, encoded);
    revision = rev;
    pending.add(new RevisionEvents(rev, events));
    dirty = true;
  }

  // ---- leases -------------------------------------------------------------------------

  LeaseId grantLease(Duration ttl) {
    LeaseId id = new LeaseId(++leaseCounter);
    meta.put(META_LEASE_COUNTER, leaseCounter);
    leaseTtls.put(id.id(), ttl.toMillis());
    leases.grant(id, ttl, options.clock().instant());
    log(WAL_GRANT, id.id(), new RecordCodec.Bytes(10).putVarLong(ttl.toMillis()).toArray());
    dirty = true;
    return id;
  }

  /** Restarts the lease's TTL; null when it is unknown or has expired. */
  Duration keepAlive(LeaseId lease) {
    return leases.renew(lease, options.clock().instant());
  }

  /** Deletes the lease and its keys (in one revision); does nothing for an unknown lease. */
  void revokeLease(LeaseId lease) {
    if (!leases.exists(lease)) {
      return;
    }
    List<String> attached = leases.remove(lease);
    leaseTtls.remove(lease.id());
    log(WAL_REVOKE, lease.id(), null);
    dirty = true;
    long rev = revision + 1;
    List<WatchEvent> events = new ArrayList<>();
    for (String key : attached) {
      deleteKey(key, rev, events);
    }
    recordRevision(events);
  }

  /** Revokes every lease expired by the clock, each in its own revision; returns how many. */
  int expireLeases() {
    List<LeaseId> expired = leases.expiredAt(options.clock().instant());
    expired.forEach(this::revokeLease);
    return expired.size();
  }

  // ---- compaction ---------------------------------------------------------------------

  /**
   * Marks history at or below {@code rev} compacted and deletes up to {@code step} of those
   * entries; returns true when more remain. The compacted revision moves before any entry is
   * deleted, so a replaying watch that checks it after reading never misses a deletion.
   */
  boolean compactStep(long rev, int step) {
    if (rev > revision) {
      throw new IllegalArgumentException("cannot compact revision " + rev
          + ": the store is at revision " + revision);
    }
    if (rev > compactedRevision) {
      compactedRevision = rev;
      meta.put(META_COMPACTED, rev);
      meta.put(META_REVISION, revision);
      log(WAL_COMPACT, rev, null);
      dirty = true;
    }
    List<Long> doomed = new ArrayList<>();
    for (Cursor<Long, byte[]> c = history.cursor(null); c.hasNext() && doomed.size() < step; ) {
      long r = c.next();
      if (r > compactedRevision) {
        break;
      }
      doomed.add(r);
    }
    if (!doomed.isEmpty()) {
      doomed.forEach(history::remove);
      dirty = true;
    }
    return doomed.size() == step;
  }

  /** The revision retention wants compacted, or 0 when nothing is due. */
  long retentionTarget() {
    long target = revision - options.historyRetention();
    return target > compactedRevision ? target : 0;
  }

  // ---- history for watches ------------------------------------------------------------

  /** Reads old revisions for watch replays; safe to call from any thread. */
  WatchHub.History history() {
    return new WatchHub.History() {
      @Override
      public long compactedRevision() {
        return compactedRevision;
      }

      @Override
      public List<RevisionEvents> read(long from, long to) {
        MVStore.TxCounter pin = mv.registerVersionUsage();
        try {
          List<RevisionEvents> out = new ArrayList<>();
          for (Cursor<Long, byte[]> c = history.cursor(from, to, false); c.hasNext(); ) {
            long rev = c.next();
            out.add(new RevisionEvents(rev, RecordCodec.decodeEvents(c.getValue())));
          }
          return out;
        } catch (MVStoreException e) {
          throw new StoreException("embedded store history read failed: " + e.getMessage(), e);
        } finally {
          mv.deregisterVersionUsage(pin);
        }
      }
    };
  }
}
