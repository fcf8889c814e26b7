package io.wharf.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.StoreException;
import io.wharf.store.StoreLimits;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.TxnTooLargeException;
import io.wharf.store.Watch;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@link Store} on an etcd cluster through jetcd.
 *
 * <p>Every call waits at most {@link EtcdStoreOptions#requestTimeout()} and then fails with a
 * {@link StoreException} saying "etcd unavailable at &lt;endpoints&gt;". (The first call in a JVM
 * also loads and starts jetcd's gRPC stack: seconds on a loaded machine, counted in its timeout.) Store keys live under
 * {@link EtcdStoreOptions#root()} in etcd. Revisions are etcd's own, so two stores on one etcd
 * share one revision counter.
 *
 * <p>Writes are never retried by this class after they may have reached etcd (jetcd retries
 * only requests it knows were not sent), so a transaction is applied at most once.
 *
 * <p>Thread safety: safe for concurrent use. Watch listeners run on one virtual thread per
 * watch. {@link #close()} ends open watches with {@link WatchListener#onError}.
 */
public final class EtcdStore implements Store {
  private final EtcdStoreOptions options;
  private final Client client;
  private final KV kv;
  private final Lease leases;
  private final Keyspace keys;
  private final EtcdFailures failures;
  private final ScheduledExecutorService watchTimers;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdStore(EtcdStoreOptions options) {
    this.options = options;
    this.client = Client.builder()
        .endpoints(options.endpoints().toArray(java.net.URI[]::new))
        .connectTimeout(options.requestTimeout())
        .retryMaxDuration(options.requestTimeout())
        .maxInboundMessageSize(256 << 20)
        .build();
    this.kv = client.getKVClient();
    this.leases = client.getLeaseClient();
    this.keys = new Keyspace(options.root());
    this.failures = new EtcdFailures(options.endpointList());
    this.watchTimers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wharf-etcd-watch-timer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A store on the etcd at {@code options.endpoints()}. Connects lazily: an unreachable etcd
   * shows as {@link StoreException}s from the calls, not from here.
   */
  public static EtcdStore connect(EtcdStoreOptions options) {
    return new EtcdStore(Objects.requireNonNull(options, "options"));
  }

  public EtcdStoreOptions options() {
    return options;
  }

  @Override
  public Optional<KeyValue> get(String key) {
    Objects.requireNonNull(key, "key");
    GetResponse response = call("get " + key, null, () -> kv.get(keys.key(key)));
    return response.getKvs().stream().findFirst().map(this::toKeyValue);
  }

  @Override
  public RangeResult range(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    GetOption option = GetOption.builder()
        .withRange(keys.rangeEnd(prefix))
        .withLimit(limit)
        .withSortField(GetOption.SortTarget.KEY)
        .withSortOrder(GetOption.SortOrder.ASCEND)
        .build();
    GetResponse response = call("range " + prefix, null,
        () -> kv.get(keys.rangeStart(prefix, startAfter), option));
    List<KeyValue> kvs = response.getKvs().stream().map(this::toKeyValue).toList();
    return new RangeResult(kvs, response.getHeader().getRevision(), response.isMore());
  }

  /** What {@link EtcdStoreOptions#limits()} says the cluster accepts; etcd itself enforces it. */
  @Override
  public StoreLimits limits() {
    return options.limits();
  }

  @Override
  public TxnResult txn(Txn txn) {
    Objects.requireNonNull(txn, "txn");
    rejectDuplicateKeys(txn.onSuccess());
    rejectDuplicateKeys(txn.onFailure());
    if (txn.compares().isEmpty() && txn.onSuccess().size() == 1 && txn.onSuccess().get(0) instanceof Txn.Put put) {
      // The most common write. etcd serves a plain Put with less work than a Txn (see
      // docs/performance.md, Store), with the same effect and revision.
      PutResponse response;
      try {
        response = call("put " + put.key(), put.lease(),
            () -> kv.put(keys.key(put.key()), ByteSequence.from(put.value()), putOption(put)));
      } catch (StoreException e) {
        throw requestTooLarge(e) ? new TxnTooLargeException("txn too large for etcd's --max-request-bytes", e) : e;
      }
      return new TxnResult(true, response.getHeader().getRevision());
    }
    Cmp[] compares = txn.compares().stream().map(this::toCmp).toArray(Cmp[]::new);
    Op[] onSuccess = txn.onSuccess().stream().map(this::toOp).toArray(Op[]::new);
    Op[] onFailure = txn.onFailure().stream().map(this::toOp).toArray(Op[]::new);
    TxnResponse response;
    try {
      response = call("txn", leaseOf(txn), () -> kv.txn().If(compares).Then(onSuccess).Else(onFailure).commit());
    } catch (StoreException e) {
      if (e.getMessage().contains("duplicate key given in txn request")) {
        // etcd also refuses a put of a key inside a range the same branch deletes.
        throw new IllegalArgumentException("txn writes duplicate key: a put overlaps another put or a deleted prefix",
            e);
      }
      if (e.getMessage().contains("too many operations in txn request")) {
        int ops = Math.max(txn.onSuccess().size(), txn.onFailure().size());
        throw new TxnTooLargeException("too many operations in txn: " + ops + " > etcd's --max-txn-ops", e);
      }
      if (requestTooLarge(e)) {
        throw new TxnTooLargeException("txn too large for etcd's --max-request-bytes", e);
      }
      throw e;
    }
    return new TxnResult(response.isSucceeded(), response.getHeader().getRevision());
  }

  /**
   * Whether etcd refused the request for its size: its own check ("request is too large", up to
   * {@code --max-request-bytes}) or, for a request over that plus gRPC's 512 KiB allowance, the
   * gRPC server's ("received message larger than max"), which would otherwise read as etcd
   * being unavailable.
   */
  private static boolean requestTooLarge(StoreException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("request is too large") || message.contains("received message larger than max");
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must be >= 0, was " + fromRevision);
    }
    // "From the next change" is pinned to a revision now, so a reconnect cannot skip changes
    // made between this call and the first response.
    long lastSeen = fromRevision == 0 ? revision() : fromRevision - 1;
    requireOpen("watch " + prefix);
    EtcdWatch watch = new EtcdWatch(client.getWatchClient(), keys, prefix, lastSeen, listener, failures,
        options.watchReconnectWindow(), options.requestTimeout(), watchTimers, watches::remove);
    watches.add(watch);
    if (closed) {
      watch.end(failures.closed("watch " + prefix));
    } else {
      watch.open();
    }
    return watch;
  }

  @Override
  public LeaseId grantLease(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be > 0, was " + ttl);
    }
    long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
    LeaseGrantResponse response = call("grant lease", null, () -> leases.grant(seconds));
    return new LeaseId(response.getID());
  }

  @Override
  public Duration keepAlive(LeaseId lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.isNone()) {
      throw new LeaseNotFoundException(lease);
    }
    LeaseKeepAliveResponse response = call("keep lease " + lease.id() + " alive", lease,
        () -> leases.keepAliveOnce(lease.id()));
    return Duration.ofSeconds(response.getTTL());
  }

  @Override
  public void revokeLease(LeaseId lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.isNone()) {
      return;
    }
    try {
      call("revoke lease " + lease.id(), lease, () -> leases.revoke(lease.id()));
    } catch (LeaseNotFoundException alreadyGone) {
      // Revoking an unknown or expired lease is a no-op by contract.
    }
  }

  @Override
  public long revision() {
    GetResponse response = call("read revision", null,
        () -> kv.get(keys.rangeStart(""), GetOption.builder().withCountOnly(true).build()));
    return response.getHeader().getRevision();
  }

  @Override
  public void compact(long revision) {
    if (revision <= 0) {
      throw new IllegalArgumentException("revision must be > 0, was " + revision);
    }
    try {
      call("compact at " + revision, null,
          () -> kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
    } catch (StoreException e) {
      if (e.getMessage().contains("required revision is a future revision")) {
        throw new IllegalArgumentException("cannot compact revision " + revision + ": the store is at revision "
            + revision(), e);
      }
      // Compacting at or below what is already compacted leaves nothing to do.
      if (!e.getMessage().contains("required revision has been compacted")) {
        throw e;
      }
    }
  }

  /** Ends every open watch (their listeners get onError) and releases jetcd's connections. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (EtcdWatch w : List.copyOf(watches)) {
      w.end(failures.closed("keep watching"));
    }
    watchTimers.shutdownNow();
    client.close();
  }

  private <T> T call(String operation, LeaseId lease, Supplier<CompletableFuture<T>> request) {
    requireOpen(operation);
    CompletableFuture<T> future;
    try {
      future = request.get();
    } catch (RuntimeException e) {
      throw failures.translate(operation, e, lease);
    }
    Duration timeout = options.requestTimeout();
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw failures.timedOut(operation, timeout);
    } catch (ExecutionException e) {
      throw failures.translate(operation, e.getCause(), lease);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw failures.interrupted(operation, e);
    }
  }

  private void requireOpen(String operation) {
    if (closed) {
      throw failures.closed(operation);
    }
  }

  private KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(keys.strip(kv.getKey()), kv.getValue().getBytes(), kv.getCreateRevision(),
        kv.getModRevision(), kv.getVersion(), kv.getLease() == 0 ? LeaseId.NONE : new LeaseId(kv.getLease()));
  }

  private Cmp toCmp(Txn.Compare compare) {
    ByteSequence key = keys.key(compare.key());
    return compare.modRevision() == 0
        ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))
        : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(compare.modRevision()));
  }

  private static PutOption putOption(Txn.Put put) {
    return put.lease().isNone() ? PutOption.DEFAULT : PutOption.builder().withLeaseId(put.lease().id()).build();
  }

  private Op toOp(Txn.Op op) {
    return switch (op) {
      case Txn.Put put -> Op.put(keys.key(put.key()), ByteSequence.from(put.value()), putOption(put));
      case Txn.Delete delete -> Op.delete(keys.key(delete.key()), DeleteOption.DEFAULT);
      case Txn.DeletePrefix prefix -> Op.delete(keys.rangeStart(prefix.prefix()),
          DeleteOption.builder().withRange(keys.rangeEnd(prefix.prefix())).build());
    };
  }

  /**
   * etcd refuses a transaction branch that writes one key twice; saying so before sending gives
   * the same answer as the embedded store and keeps etcd's wording out of callers' sight.
   */
  private static void rejectDuplicateKeys(List<Txn.Op> ops) {
    Set<String> written = new java.util.HashSet<>();
    for (Txn.Op op : ops) {
      String key = switch (op) {
        case Txn.Put put -> put.key();
        case Txn.Delete delete -> delete.key();
        case Txn.DeletePrefix ignored -> null;
      };
      if (key != null && !written.add(key)) {
        throw new IllegalArgumentException("txn writes duplicate key " + key + " more than once");
      }
    }
  }

  /** The lease a transaction's puts use, to name it when etcd says "lease not found". */
  private static LeaseId leaseOf(Txn txn) {
    return java.util.stream.Stream.concat(txn.onSuccess().stream(), txn.onFailure().stream())
        .filter(op -> op instanceof Txn.Put put && !put.lease().isNone())
        .map(op -> ((Txn.Put) op).lease())
        .findFirst().orElse(null);
  }
}
