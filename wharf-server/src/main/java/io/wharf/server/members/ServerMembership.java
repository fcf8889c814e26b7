package io.wharf.server.members;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's entry in the list of servers sharing the store, and that list.
 *
 * <p>Registration: a store lease of {@code ttl} and the key {@value #PREFIX}{@code {id}} attached
 * to it, holding the {@link ServerMember} as JSON. Every {@code ttl / 3} the heartbeat renews the
 * lease and rewrites the key with the time of the beat (one store write per server per beat: what
 * {@code GET /v1/servers} shows as the last heartbeat). A lease that lapsed meanwhile (a paused or
 * cut-off server) is replaced by a new one. A server that dies stops beating and its key goes with
 * its lease, at most {@code ttl} later; {@link #close} revokes the lease, so a server shutting down
 * leaves the list at once.
 *
 * <p>On the embedded store ({@code sole}) this server is the only one there can be: nothing is
 * written and {@link #members} is this server, beating now.
 *
 * <p>Thread safety: safe for many threads. One virtual thread, {@code wharf-server-membership},
 * beats; it waits on a condition so {@link #close} ends it at once. {@link #members} reads the
 * store on the caller's thread.
 */
public final class ServerMembership implements AutoCloseable {
  public static final String PREFIX = "/wharf/servers/";
  private static final Logger log = LoggerFactory.getLogger(ServerMembership.class);

  private final Store store;
  private final ServerMember self;
  private final Duration ttl;
  private final InstantSource clock;
  private final boolean sole;
  private final ObjectMapper json = new ObjectMapper();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean closed; // guarded by lock
  private boolean started; // guarded by lock
  private Thread beating; // guarded by lock
  private volatile LeaseId lease; // written by the starting thread, then only by the beating thread

  /**
   * @param self this server; its heartbeat field is replaced by each beat's time
   * @param ttl how long the entry outlives the last heartbeat (at least 1 s)
   * @param sole the embedded store: this server is the only member and nothing is written
   */
  public ServerMembership(Store store, ServerMember self, Duration ttl, InstantSource clock, boolean sole) {
    this.store = Objects.requireNonNull(store, "store");
    this.self = Objects.requireNonNull(self, "self");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sole = sole;
    if (ttl.toMillis() < 1000) {
      throw new IllegalArgumentException("server membership TTL must be at least 1s, got " + ttl);
    }
  }

  /** The store key of the server {@code id}. */
  public static String key(String id) {
    return PREFIX + id;
  }

  /**
   * Registers this server in the caller's thread (so it is listed when this returns, unless the
   * store is unreachable: then the heartbeat keeps trying), then beats in the background.
   */
  public void start() {
    lock.lock();
    try {
      if (started || closed) {
        return;
      }
      started = true;
      if (sole) {
        return;
      }
      try {
        beat();
      } catch (RuntimeException e) {
        log.warn("cannot register server {} in the store yet (retrying every {} ms): {}", self.id(),
            interval().toMillis(), e.getMessage());
      }
      beating = Thread.ofVirtual().name("wharf-server-membership").start(this::run);
    } finally {
      lock.unlock();
    }
  }

  public ServerMember self() {
    return self;
  }

  /** How long an entry outlives its server's last heartbeat. */
  public Duration ttl() {
    return ttl;
  }

  /** Every registered server, ordered by id, as the store says now. */
  public List<ServerMember> members() {
    if (sole) {
      return List.of(self.beatAt(clock.instant()));
    }
    List<ServerMember> out = new ArrayList<>();
    for (KeyValue kv : store.range(PREFIX).kvs()) {
      decode(kv).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * {@code GET /v1/servers}: {@code {"servers": [{id, addresses, version, startedAt, lastHeartbeat,
   * leader}], "leader": id or null, "server": the answering server's id, "ttlSeconds"}}; a server
   * is marked leader when it holds the leader key ({@code leaderId}).
   */
  public ObjectNode describe(ObjectMapper mapper, Optional<String> leaderId) {
    ObjectNode body = mapper.createObjectNode();
    var servers = body.putArray("servers");
    for (ServerMember m : members()) {
      ObjectNode node = servers.addObject().put("id", m.id());
      m.addresses().forEach(node.putArray("addresses")::add);
      node.put("version", m.version()).put("startedAt", m.startedAt().toString())
          .put("lastHeartbeat", m.heartbeat().toString()).put("leader", leaderId.map(m.id()::equals).orElse(false));
    }
    if (leaderId.isPresent()) {
      body.put("leader", leaderId.get());
    } else {
      body.putNull("leader");
    }
    return body.put("server", self.id()).put("ttlSeconds", ttl.toSeconds());
  }

  private Duration interval() {
    return ttl.dividedBy(3);
  }

  private void run() {
    while (await(interval())) {
      try {
        beat();
      } catch (RuntimeException e) {
        log.warn("server {} heartbeat failed (retrying in {} ms): {}", self.id(), interval().toMillis(),
            e.getMessage());
      }
    }
  }

  /** Renews the lease (or grants a new one when it lapsed) and writes the entry with this beat's time. */
  private void beat() {
    LeaseId current = lease;
    if (current != null) {
      try {
        store.keepAlive(current);
      } catch (LeaseNotFoundException e) {
        log.info("server {}'s membership lease lapsed: registering again", self.id());
        current = null;
      }
    }
    if (current == null) {
      current = store.grantLease(ttl);
      lease = current;
    }
    try {
      write(current);
    } catch (LeaseNotFoundException e) {
      // It lapsed between the renewal and the write (a stalled store call): once more on a new one.
      current = store.grantLease(ttl);
      lease = current;
      write(current);
    }
  }

  private void write(LeaseId on) {
    byte[] value = encode(self.beatAt(clock.instant()));
    store.txn(new Txn(List.of(), List.of(new Txn.Put(key(self.id()), value, on)), List.of()));
  }

  private byte[] encode(ServerMember m) {
    ObjectNode node = json.createObjectNode().put("id", m.id());
    m.addresses().forEach(node.putArray("addresses")::add);
    node.put("version", m.version()).put("startedAt", m.startedAt().toString())
        .put("heartbeat", m.heartbeat().toString());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Optional<ServerMember> decode(KeyValue kv) {
    try {
      JsonNode node = json.readTree(kv.value());
      List<String> addresses = new ArrayList<>();
      node.path("addresses").forEach(a -> addresses.add(a.asText()));
      return Optional.of(new ServerMember(node.path("id").asText(), addresses, node.path("version").asText(),
          Instant.parse(node.path("startedAt").asText()), Instant.parse(node.path("heartbeat").asText())));
    } catch (IOException | RuntimeException e) {
      log.debug("skipping the unreadable server entry {}: {}", kv.key(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Waits {@code d} (or until closed); false when closed. */
  private boolean await(Duration d) {
    lock.lock();
    try {
      long left = d.toNanos();
      while (!closed && left > 0) {
        left = wake.awaitNanos(left);
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops beating and revokes the lease: this server leaves the list now. Idempotent. */
  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wake.signalAll();
      t = beating;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LeaseId l = lease;
    if (l != null) {
      try {
        store.revokeLease(l);
      } catch (RuntimeException e) {
        log.debug("revoking the membership lease failed (it lapses anyway): {}", e.getMessage());
      }
    }
  }
}
