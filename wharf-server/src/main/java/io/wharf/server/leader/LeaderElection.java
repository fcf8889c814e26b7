package io.wharf.server.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one leader among the servers sharing a store.
 *
 * <p>Campaign: grant a lease of {@code ttl}, then put {@value #KEY} attached to it in a
 * transaction that compares the key absent — at most one server wins; the others revoke their
 * lease and wait for the key to change (a store watch wakes them; they also retry every
 * {@code ttl / 4} in case the watch is down). The key vanishes when its holder steps down
 * (revokes) or dies (the store expires the lease after {@code ttl}).
 *
 * <p>Holding: the leader renews its lease every {@code ttl / 4} and checks the key is still its
 * own. A watchdog steps down when no renewal has succeeded for {@code 2/3 ttl} measured from the
 * moment the last successful renewal was <em>sent</em>, so a leader cut off from the store (or
 * paused) stops its duties before the store could expire its lease and let another server win.
 * What a paused leader might still write afterwards is stopped by the {@link Term#fence()}
 * compare in its transactions.
 *
 * <p>Duties: {@link Duties#elected} and {@link Duties#demoted} are called one at a time under
 * this object's lock, never overlapping, and never twice for one term.
 *
 * <p>Thread safety: safe for many threads. One virtual thread campaigns and renews, one
 * virtual thread is the watchdog; {@link #close} stops both and, when leader, steps down and
 * revokes the lease so another server takes over at once.
 */
public final class LeaderElection implements AutoCloseable {
  public static final String KEY = "/wharf/leader";
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  /** What the leader does: start its controllers when elected, stop them when demoted. */
  public interface Duties {
    void elected(Term term);

    void demoted(Term term, String reason);
  }

  private final Store store;
  private final String id;
  private final String address;
  private final Duration ttl;
  private final Duties duties;
  private final InstantSource clock;
  private final boolean sole;
  private final ObjectMapper json = new ObjectMapper();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile Term term; // null while follower
  private volatile long renewedAtNanos; // when the last successful renewal (or the campaign) was sent
  private LeaseId toRevoke; // a lease of an ended term, guarded by lock
  private boolean closed; // guarded by lock
  private boolean started; // guarded by lock
  private volatile Instant soleSince;
  private Thread loop;
  private Thread watchdog;
  private Watch watch;

  /**
   * @param id this server's name among the servers (unique)
   * @param address where this server's API is reached, reported to clients
   */
  public LeaderElection(Store store, String id, String address, Duration ttl, InstantSource clock, Duties duties) {
    this(store, id, address, ttl, clock, false, duties);
  }

  /**
   * @param sole this is the only server the store can have (the embedded store, which one
   *     process opens): it leads from {@link #start} to {@link #close} without writing a key
   *     (nothing could contend, so nothing needs fencing)
   */
  public LeaderElection(Store store, String id, String address, Duration ttl, InstantSource clock, boolean sole,
      Duties duties) {
    this.sole = sole;
    this.store = Objects.requireNonNull(store, "store");
    this.id = Objects.requireNonNull(id, "id");
    this.address = Objects.requireNonNull(address, "address");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.duties = Objects.requireNonNull(duties, "duties");
    if (ttl.toMillis() < 1000) {
      throw new IllegalArgumentException("leader lease TTL must be at least 1s, got " + ttl);
    }
  }

  /**
   * Campaigns once in the caller's thread (so a server that can win is leader when this returns),
   * then keeps campaigning or renewing in the background.
   */
  public void start() {
    lock.lock();
    try {
      if (started || closed) {
        return;
      }
      if (sole) {
        term = Term.SOLE;
        soleSince = clock.instant();
        duties.elected(Term.SOLE);
        started = true;
        return;
      }
      try {
        watch = store.watch(KEY, 0, new WakeOnChange());
      } catch (RuntimeException e) {
        log.warn("cannot watch the leader key (will poll): {}", e.getMessage());
      }
      try {
        campaign();
      } catch (RuntimeException e) {
        log.warn("leader election: {}", e.getMessage());
      }
      started = true;
      loop = Thread.ofVirtual().name("wharf-leader-election").start(this::run);
      watchdog = Thread.ofVirtual().name("wharf-leader-watchdog").start(this::guard);
    } finally {
      lock.unlock();
    }
  }

  public String id() {
    return id;
  }

  public Duration ttl() {
    return ttl;
  }

  /** This server's term while it leads. */
  public Optional<Term> term() {
    return Optional.ofNullable(term);
  }

  public boolean isLeader() {
    return term != null;
  }

  /** Whether this is the only server its store can have (see the constructor). */
  public boolean isSole() {
    return sole;
  }

  /** Who holds the leader key now, as the store says (empty while nobody does). */
  public Optional<LeaderInfo> leader() {
    if (sole) {
      Instant since = soleSince;
      return since == null || term == null ? Optional.empty() : Optional.of(new LeaderInfo(id, address, since, 0));
    }
    return store.get(KEY).flatMap(this::decode);
  }

  /** {@code {"leader": {id, address, since, revision} or null, "server": {id, leader}}} for the API. */
  public com.fasterxml.jackson.databind.node.ObjectNode describe(ObjectMapper mapper) {
    var body = mapper.createObjectNode();
    Optional<LeaderInfo> leader = leader();
    if (leader.isPresent()) {
      body.putObject("leader").put("id", leader.get().id()).put("address", leader.get().address())
          .put("since", leader.get().since().toString()).put("revision", leader.get().revision());
    } else {
      body.putNull("leader");
    }
    body.putObject("server").put("id", id).put("address", address).put("leader", isLeader())
        .put("leaseTtlSeconds", ttl.toSeconds());
    return body;
  }

  private Optional<LeaderInfo> decode(KeyValue kv) {
    try {
      JsonNode node = json.readTree(kv.value());
      return Optional.of(new LeaderInfo(node.path("id").asText(), node.path("address").asText(),
          Instant.parse(node.path("since").asText()), kv.modRevision()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
      } finally {
        lock.unlock();
      }
      try {
        revokeEnded();
        Term current = term;
        if (current == null) {
          campaign();
          if (term == null) {
            await(ttl.dividedBy(4));
          }
        } else {
          await(ttl.dividedBy(4));
          if (term == current) {
            renew(current);
          }
        }
      } catch (RuntimeException e) {
        log.warn("leader election: {}", e.getMessage());
        await(ttl.dividedBy(4));
      }
    }
  }

  private void campaign() {
    long sentAt = System.nanoTime();
    LeaseId lease = store.grantLease(ttl);
    byte[] value = json.createObjectNode().put("id", id).put("address", address)
        .put("since", clock.instant().toString()).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TxnResult result;
    try {
      result = store.txn(new Txn(List.of(Txn.Compare.absent(KEY)), List.of(new Txn.Put(KEY, value, lease)),
          List.of()));
    } catch (RuntimeException e) {
      // The outcome is unknown: revoking the lease removes the key if it was written.
      revokeQuietly(lease);
      throw e;
    }
    if (!result.succeeded()) {
      revokeQuietly(lease);
      return;
    }
    lock.lock();
    try {
      if (closed) {
        revokeQuietly(lease);
        return;
      }
      Term won = new Term(result.revision(), lease);
      renewedAtNanos = sentAt;
      term = won;
      log.info("{} is the leader (term {})", id, won.revision());
      try {
        duties.elected(won);
      } catch (RuntimeException e) {
        demote(won, "starting its duties failed: " + e.getMessage());
      }
    } finally {
      lock.unlock();
    }
    // Starting the duties may have taken a while (the watchdog waits for the lock meanwhile):
    // renew at once rather than let the watchdog step down over a renewal that was never due.
    if (term != null) {
      renew(term);
    }
  }

  private void renew(Term current) {
    long sentAt = System.nanoTime();
    try {
      store.keepAlive(current.lease());
    } catch (LeaseNotFoundException e) {
      demote(current, "its lease expired");
      return;
    }
    Optional<KeyValue> key = store.get(KEY);
    if (key.isEmpty() || key.get().modRevision() != current.revision()) {
      demote(current, "the leader key is gone");
      return;
    }
    if (term == current) {
      renewedAtNanos = sentAt;
    }
  }

  /** Steps down before the store could expire a lease whose renewals did not get through. */
  private void guard() {
    long deadline = ttl.toNanos() * 2 / 3;
    long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(TimeUnit.MILLISECONDS.toNanos(100),
        ttl.toNanos() / 20));
    while (true) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        // The watchdog's tick; the renewal deadline, not this wait, bounds how late it acts.
        wake.await(tick, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      Term current = term;
      if (current != null && System.nanoTime() - renewedAtNanos > deadline) {
        demote(current, "no lease renewal for " + Duration.ofNanos(deadline).toMillis() + " ms");
      }
    }
  }

  private void demote(Term ended, String reason) {
    lock.lock();
    try {
      if (term != ended) {
        return;
      }
      term = null;
      toRevoke = ended.lease();
      if (closed) {
        log.info("{} stepped down as leader (term {}): {}", id, ended.revision(), reason);
      } else {
        log.warn("{} stepped down as leader (term {}): {}", id, ended.revision(), reason);
      }
      duties.demoted(ended, reason);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void revokeEnded() {
    LeaseId lease;
    lock.lock();
    try {
      lease = toRevoke;
      toRevoke = null;
    } finally {
      lock.unlock();
    }
    if (lease != null) {
      revokeQuietly(lease);
    }
  }

  private void revokeQuietly(LeaseId lease) {
    if (lease.equals(LeaseId.NONE)) {
      return;
    }
    try {
      store.revokeLease(lease);
    } catch (RuntimeException e) {
      log.debug("revoking lease {} failed (it expires anyway): {}", lease, e.getMessage());
    }
  }

  private void await(Duration d) {
    lock.lock();
    try {
      if (!closed) {
        // Waits for a change of the leader key (or close) at most d; the loop re-checks state.
        wake.await(d.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private final class WakeOnChange implements WatchListener {
    @Override
    public void onEvents(List<WatchEvent> events) {
      lock.lock();
      try {
        wake.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      // Polling covers the rest of this server's life; a compacted watch of one key is harmless.
    }
  }

  /** Stops campaigning; a leader steps down (duties stopped) and revokes its lease. Idempotent. */
  @Override
  public void close() {
    Thread l;
    Thread w;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wake.signalAll();
      l = loop;
      w = watchdog;
    } finally {
      lock.unlock();
    }
    join(l);
    join(w);
    Term current = term;
    if (current != null) {
      demote(current, "server shutting down");
    }
    revokeEnded();
    if (watch != null) {
      watch.close();
    }
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
