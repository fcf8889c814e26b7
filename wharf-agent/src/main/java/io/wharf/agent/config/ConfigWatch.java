package io.wharf.agent.config;

import io.wharf.agent.node.InstanceSupervisor;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.model.Kind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows changes of configs and secrets (one watch of both kinds, every namespace) and tells the
 * supervisor which one changed; the supervisor restarts the instances that take it (the
 * documented behaviour: a changed config or secret restarts the instances using it, on every
 * node, at once — not rolled). Each time the watch (re)starts, every instance's inputs are
 * checked again, so a change made while the watch was down is not missed.
 *
 * <p>Concurrency: one virtual thread; {@link #close()} ends it. The watch carries names only as
 * far as this class is concerned: values are read again through the supervisor's source.
 */
public final class ConfigWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final WharfClient client;
    private final InstanceSupervisor supervisor;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;

    public ConfigWatch(WharfClient client, InstanceSupervisor supervisor) {
        this.client = client;
        this.supervisor = supervisor;
        this.thread = Thread.ofVirtual().name("config-watch").start(this::run);
    }

    private void run() {
        long backoff = 200;
        while (!closed.isDone()) {
            var ended = new CompletableFuture<Throwable>();
            try (WatchStream ignored = client.watch(WatchRequest.of("configs", "secrets"), listener(ended))) {
                supervisor.recheckInputs();
                backoff = 200;
                CompletableFuture.anyOf(ended, closed).join();
                if (closed.isDone()) return;
                Throwable error = ended.getNow(null);
                log.info("config watch ended{}; watching again", error == null ? "" : ": " + error.getMessage());
            } catch (RuntimeException e) {
                log.warn("cannot follow configs and secrets ({}); retrying in {} ms", e.getMessage(), backoff);
            }
            try {
                closed.get(backoff, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException timeout) {
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            } catch (Exception interrupted) {
                return;
            }
        }
    }

    private WatchListener listener(CompletableFuture<Throwable> ended) {
        return new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                Kind kind = switch (event.kind()) {
                    case "Config" -> Kind.CONFIG;
                    case "Secret" -> Kind.SECRET;
                    default -> null;
                };
                if (kind == null) return;
                var meta = event.object().path("metadata");
                String namespace = meta.path("namespace").asText();
                String name = meta.path("name").asText();
                // Reading values may take a moment: off the watch's thread, so events keep flowing.
                Thread.ofVirtual().name("config-changed-" + name).start(() -> supervisor.inputsChanged(kind, namespace, name));
            }

            @Override
            public void onCompacted(long compactRevision) {
                ended.complete(null);
            }

            @Override
            public void onClosed(Throwable error) {
                ended.complete(error);
            }
        };
    }

    @Override
    public void close() {
        closed.complete(null);
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
