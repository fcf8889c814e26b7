package io.wharf.agent.identity;

import io.wharf.agent.node.InstanceKey;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each instance on this node its workload token (for its service principal, from the
 * server: {@code POST /v1/namespaces/{ns}/instances/{name}/token}) as {@code WHARF_TOKEN} and as a
 * file named by {@code WHARF_TOKEN_FILE} (mode 0400), and rewrites the file before the token
 * expires: at 2/3 of its lifetime, retrying after {@link #RETRY}, doubling up to 320 s, on failure. The variable is the
 * token at start; long-running workloads read the file. An instance the server says is gone or
 * ended (404, 409) is dropped; the server refuses such tokens anyway.
 *
 * <p>Threads: {@link #env} runs on the caller's thread (the supervisor's start, one fetch); one
 * virtual thread refreshes, sleeping on a condition until the earliest refresh is due. A
 * {@link ReentrantLock} guards the map of instances; fetches and file writes happen outside it.
 */
public final class WorkloadIdentity implements AutoCloseable {
  public static final String TOKEN_VARIABLE = "WHARF_TOKEN";
  public static final String FILE_VARIABLE = "WHARF_TOKEN_FILE";
  static final Duration RETRY = Duration.ofSeconds(10);
  /** Retries after failures in a row wait {@link #RETRY} doubled up to this many times (10 s .. 320 s). */
  static final int MAX_DOUBLINGS = 5;
  private static final Logger log = LoggerFactory.getLogger(WorkloadIdentity.class);

  /** A token and when it expires. */
  public record Token(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[(hidden), expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * What the server answered: a token; that the instance has no token to get (gone, ended); or
   * that this agent may not ask (a server without node identities): instances then run without one.
   */
  public sealed interface Answer permits Issued, NoToken, Refused {}

  public record Issued(Token token) implements Answer {}

  public record NoToken(String reason) implements Answer {}

  public record Refused(String reason) implements Answer {}

  /** Asks the server; throws on failures worth retrying (server unreachable, 5xx). */
  @FunctionalInterface
  public interface TokenSource {
    Answer fetch(String namespace, String instance);
  }

  /** An instance's token file, when to refresh it next, and how many tries in a row failed. */
  private record Tracked(Path file, Instant due, int failures) {}

  private final TokenSource source;
  private final Function<InstanceKey, Path> files;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<InstanceKey, Tracked> tracked = new HashMap<>(); // guarded by lock
  private final Thread refresher;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean refusalLogged = new java.util.concurrent.atomic.AtomicBoolean();

  /** @param files where an instance's token file goes (its directory is created) */
  public WorkloadIdentity(TokenSource source, Function<InstanceKey, Path> files, InstantSource clock) {
    this.source = source;
    this.files = files;
    this.clock = clock;
    this.refresher = Thread.ofVirtual().name("wharf-workload-identity").start(this::refreshLoop);
  }

  /**
   * The variables an instance starts with: its token and the file's path, after writing the file.
   * When the server gives no token now, only {@code WHARF_TOKEN_FILE} (the file appears when a
   * retry succeeds); an instance the server says has no token gets neither.
   */
  public Map<String, String> env(InstanceKey key) {
    Path file = files.apply(key);
    Optional<Token> token;
    try {
      Answer answer = source.fetch(key.namespace(), key.name());
      if (answer instanceof NoToken none) {
        log.info("instance {} gets no workload token: {}", key, none.reason());
        return Map.of();
      }
      if (answer instanceof Refused refused) {
        refused(key, refused);
        return Map.of();
      }
      token = Optional.of(((Issued) answer).token());
      write(file, token.get().token());
    } catch (RuntimeException e) {
      log.warn("cannot get the workload token of instance {} (retrying from {}s to {}s apart): {}", key,
          RETRY.toSeconds(), retryAfter(MAX_DOUBLINGS + 1).toSeconds(), e.getMessage());
      token = Optional.empty();
    }
    Instant due = token.map(this::refreshAt).orElse(clock.instant().plus(RETRY));
    Tracked entry = new Tracked(file, due, token.isPresent() ? 0 : 1);
    lock.lock();
    try {
      tracked.put(key, entry);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    Map<String, String> env = new HashMap<>();
    env.put(FILE_VARIABLE, file.toString());
    token.ifPresent(t -> env.put(TOKEN_VARIABLE, t.token()));
    return env;
  }

  /** Logged once per agent (then at debug): every instance would say the same. */
  private void refused(InstanceKey key, Refused refused) {
    if (refusalLogged.compareAndSet(false, true)) {
      log.warn("the server gives this agent no workload tokens ({}); instances run without WHARF_TOKEN",
          refused.reason());
    } else {
      log.debug("instance {} gets no workload token: {}", key, refused.reason());
    }
  }

  /** The instance stopped or left this node: no more refreshes; its file is deleted. */
  public void forget(InstanceKey key) {
    Tracked t;
    lock.lock();
    try {
      t = tracked.remove(key);
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        Files.deleteIfExists(t.file());
      } catch (IOException e) {
        log.warn("cannot delete the token file of instance {}: {}", key, e.getMessage());
      }
    }
  }

  /** Instances whose token this agent keeps fresh. */
  public java.util.Set<InstanceKey> tracked() {
    lock.lock();
    try {
      return java.util.Set.copyOf(tracked.keySet());
    } finally {
      lock.unlock();
    }
  }

  /** The wait after {@code failures} failed tries in a row. */
  static Duration retryAfter(int failures) {
    return RETRY.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), MAX_DOUBLINGS));
  }

  /** 2/3 of the way from now to the expiry. */
  private Instant refreshAt(Token token) {
    Instant now = clock.instant();
    Duration left = Duration.between(now, token.expiresAt());
    return left.isNegative() ? now : now.plus(left.multipliedBy(2).dividedBy(3));
  }

  /** Refreshes whatever is due now; returns how many it tried. Also the refresher thread's step. */
  int refreshDue() {
    Map<InstanceKey, Tracked> due = new HashMap<>();
    Instant now = clock.instant();
    lock.lock();
    try {
      tracked.forEach((k, t) -> {
        if (!t.due().isAfter(now)) {
          due.put(k, t);
        }
      });
    } finally {
      lock.unlock();
    }
    due.forEach(this::refresh);
    return due.size();
  }

  private void refresh(InstanceKey key, Tracked t) {
    Instant next;
    int failures = 0;
    Instant attempted = clock.instant(); // a retry is timed from the attempt, however long it took
    try {
      Answer answer = source.fetch(key.namespace(), key.name());
      if (answer instanceof NoToken none) {
        log.info("instance {} gets no more workload tokens: {}", key, none.reason());
        forget(key);
        return;
      }
      if (answer instanceof Refused refused) {
        refused(key, refused);
        forget(key);
        return;
      }
      Token token = ((Issued) answer).token();
      write(t.file(), token.token());
      next = refreshAt(token);
    } catch (RuntimeException e) {
      failures = t.failures() + 1;
      if (failures == 1) {
        log.warn("cannot refresh the workload token of instance {}: {}", key, e.getMessage());
      } else {
        log.debug("cannot refresh the workload token of instance {} ({} tries): {}", key, failures, e.getMessage());
      }
      next = attempted.plus(retryAfter(failures));
    }
    Tracked updated = new Tracked(t.file(), next, failures);
    lock.lock();
    try {
      tracked.computeIfPresent(key, (k, old) -> old == t ? updated : old);
    } finally {
      lock.unlock();
    }
  }

  private void refreshLoop() {
    while (!closed) {
      try {
        refreshDue();
        lock.lock();
        try {
          Instant earliest = tracked.values().stream().map(Tracked::due).min(Instant::compareTo).orElse(null);
          long wait = earliest == null ? 1_000 : Math.max(1, Duration.between(clock.instant(), earliest).toMillis());
          // Re-check the clock at least every second: tests move a manual clock.
          changed.await(Math.min(wait, 1_000), TimeUnit.MILLISECONDS);
        } finally {
          lock.unlock();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("workload token refresh failed", e);
      }
    }
  }

  /** Writes the token to a new file of mode 0400 and moves it over the old one (a reader never sees half). */
  static void write(Path file, String token) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".token", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, token);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--------"));
        try {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write the token file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    refresher.interrupt();
    try {
      refresher.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
