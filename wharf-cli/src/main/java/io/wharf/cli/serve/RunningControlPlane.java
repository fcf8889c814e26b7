package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.server.ControlPlane;
import io.wharf.store.Store;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store and the control plane started on it, owned together: {@link #close()} stops the
 * control plane, then closes the store, once. A JVM shutdown hook calls it, so SIGINT and
 * SIGTERM shut down cleanly; {@link #awaitClosed()} blocks the command until then.
 *
 * <p>Thread safety: {@link #close()} may race (hook and main thread); the lock makes it run once.
 */
final class RunningControlPlane implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunningControlPlane.class);

  private final Store store;
  private final ControlPlane controlPlane;
  private final String storeDescription;
  private final ReentrantLock lock = new ReentrantLock();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook = new Thread(this::close, "wharf-shutdown");
  private final java.util.List<AutoCloseable> before = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RunningControlPlane(Store store, ControlPlane controlPlane, String storeDescription) {
    this.store = store;
    this.controlPlane = controlPlane;
    this.storeDescription = storeDescription;
  }

  /**
   * Opens the store, starts the control plane on it and installs the shutdown hook.
   *
   * @param openStore opens the store; a {@link RuntimeException} it throws becomes an error
   *     whose message is prefixed by {@code storeDescription}
   */
  static RunningControlPlane start(Supplier<Store> openStore, String storeDescription,
      ControlPlane.Settings settings, io.wharf.server.secrets.SecretSealer sealer) {
    return start(openStore, storeDescription, settings, ControlPlane.Tuning.DEFAULTS, sealer);
  }

  static RunningControlPlane start(Supplier<Store> openStore, String storeDescription,
      ControlPlane.Settings settings, ControlPlane.Tuning tuning, io.wharf.server.secrets.SecretSealer sealer) {
    return start(openStore, storeDescription, settings, tuning, sealer, io.wharf.server.audit.AuditSettings.DEFAULTS);
  }

  static RunningControlPlane start(Supplier<Store> openStore, String storeDescription,
      ControlPlane.Settings settings, ControlPlane.Tuning tuning, io.wharf.server.secrets.SecretSealer sealer,
      io.wharf.server.audit.AuditSettings audit) {
    Store store;
    try {
      store = openStore.get();
    } catch (CliException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CliException(ExitCode.ERROR, "cannot open the store (" + storeDescription + "): "
          + rootMessage(e));
    }
    ControlPlane controlPlane;
    try {
      controlPlane = ControlPlane.start(settings, store, tuning, sealer, audit);
    } catch (RuntimeException e) {
      store.close();
      throw new CliException(ExitCode.ERROR, "cannot start the control plane on "
          + settings.bindHost() + ":" + settings.port() + ": " + rootMessage(e));
    }
    log.info("control plane serving {} on {}", controlPlane.apiAddress(), storeDescription);
    RunningControlPlane running = new RunningControlPlane(store, controlPlane, storeDescription);
    Runtime.getRuntime().addShutdownHook(running.hook);
    return running;
  }

  /** The environment variable an operator may give the first start's admin token in. */
  static final String BOOTSTRAP_VARIABLE = "WHARF_BOOTSTRAP_TOKEN";

  /** Control-plane settings with the bootstrap token of {@code $WHARF_BOOTSTRAP_TOKEN}, if set. */
  static ControlPlane.Settings settings(io.wharf.cli.Environment env, String bind, int port, String storeKind) {
    String given = env.variable(BOOTSTRAP_VARIABLE);
    try {
      return new ControlPlane.Settings(bind, port, storeKind)
          .withBootstrapToken(given == null || given.isBlank() ? null : given.strip());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("$" + BOOTSTRAP_VARIABLE + ": " + e.getMessage());
    }
  }

  /**
   * The banner line of a first start: the admin token, printed this once (it is stored only as a
   * hash), or a note that it is the one the operator gave; empty on every later start.
   */
  java.util.Optional<String> bootstrapLine(io.wharf.cli.Environment env) {
    return controlPlane.bootstrapToken().map(token -> {
      String given = env.variable(BOOTSTRAP_VARIABLE);
      return given != null && given.strip().equals(token)
          ? "Admin token: the one in $" + BOOTSTRAP_VARIABLE + " (user:admin; stored only as a hash)"
          : "Admin token: " + token + "  (user:admin; shown this once, stored only as a hash)";
    });
  }

  ControlPlane controlPlane() {
    return controlPlane;
  }

  /** Closes {@code component} (an agent in the same process) before the control plane; last added, first closed. */
  void closeFirst(AutoCloseable component) {
    before.addFirst(component);
  }

  void awaitClosed() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed.getCount() == 0) {
        return;
      }
      if (Thread.currentThread() != hook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to; closing here first is fine
        }
      }
      log.info("shutting down");
      for (AutoCloseable c : before) {
        try {
          c.close();
        } catch (Exception e) {
          log.warn("closing {} failed", c, e);
        }
      }
      try {
        controlPlane.close();
      } finally {
        store.close();
        closed.countDown();
      }
      log.info("stopped ({})", storeDescription);
    } finally {
      lock.unlock();
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t == e || e.getMessage() == null ? t.getMessage() : e.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
