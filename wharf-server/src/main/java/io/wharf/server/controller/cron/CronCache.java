package io.wharf.server.controller.cron;

import io.wharf.model.CronJob;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.controller.Informer;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron controller's informer: every CronJob and every Job, decoded once into immutable
 * records. The list/watch/relist loop is an {@link Informer} (both prefixes listed, then ONE store
 * watch on {@code /wharf/}; a compacted or broken watch makes it relist and report every
 * difference). Kept apart from the services' {@code ClusterCache} so neither pays for the other's
 * objects.
 *
 * <p>The handler runs on the watch's delivery thread (or the relisting thread) and must only
 * queue keys. Thread safety: reads are lock-free; changes are applied under the informer's lock,
 * which {@link #awaitRevision} waits on.
 */
public final class CronCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CronCache.class);
  static final String CRONJOBS = ResourceKeys.prefix(ResourceType.CRON_JOB, null);
  static final String JOBS = ResourceKeys.prefix(ResourceType.JOB, null);

  private final Informer<Entry> informer;

  private record Entry(long modRevision, Resource resource) implements Informer.Versioned {}

  /** {@code handler} gets every created, changed or deleted cron job or job (its last state for a delete). */
  public CronCache(Store store, Consumer<Resource> handler) {
    this.informer = new Informer<>("cron cache", store, List.of(CRONJOBS, JOBS), CronCache::decode);
    informer.onChange((key, before, after) -> {
      Resource r = after != null ? after.resource() : before.resource();
      if (r != null) {
        handler.accept(r);
      }
    });
  }

  public void start() {
    informer.start();
  }

  private static Entry decode(KeyValue kv) {
    Kind kind = kv.key().startsWith(CRONJOBS) ? Kind.CRON_JOB : Kind.JOB;
    Decoded<Resource> decoded = ResourceCodec.fromJson(kind, kv.value());
    if (!decoded.ok()) {
      log.warn("cron cache cannot decode {}: {}", kv.key(), decoded.problems());
      return new Entry(kv.modRevision(), null);
    }
    Resource r = decoded.value();
    return new Entry(kv.modRevision(), r.withMetadata(r.metadata().withRevision(kv.modRevision())));
  }

  /** Waits until every change up to {@code target} is applied; false on timeout or close. */
  public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
    return informer.awaitRevision(target, timeout);
  }

  public boolean awaitCurrent(Duration timeout) throws InterruptedException {
    return informer.awaitCurrent(timeout);
  }

  public Optional<CronJob> cronJob(String namespace, String name) {
    Entry e = informer.get(ResourceKeys.key(ResourceType.CRON_JOB, namespace, name));
    return e != null && e.resource() instanceof CronJob c ? Optional.of(c) : Optional.empty();
  }

  public List<CronJob> cronJobs() {
    List<CronJob> out = new ArrayList<>();
    for (Entry e : informer.under(CRONJOBS)) {
      if (e.resource() instanceof CronJob c) {
        out.add(c);
      }
    }
    return out;
  }

  /** The jobs a cron job started (label {@code wharf.io/cronjob}), found by their name prefix. */
  public List<Job> jobsOf(String namespace, String cron) {
    String prefix = ResourceKeys.key(ResourceType.JOB, namespace, CronRuns.jobName(cron, java.time.Instant.EPOCH));
    prefix = prefix.substring(0, prefix.length() - 1); // "<base>-"
    List<Job> out = new ArrayList<>();
    for (Entry e : informer.under(prefix)) {
      if (e.resource() instanceof Job j && cron.equals(j.metadata().labels().get(CronRuns.CRONJOB_LABEL))) {
        out.add(j);
      }
    }
    return out;
  }

  @Override
  public void close() {
    informer.close();
  }
}
