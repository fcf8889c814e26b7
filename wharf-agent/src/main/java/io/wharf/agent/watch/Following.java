package io.wharf.agent.watch;

import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one watch stream for as long as it is open, starting over whenever the stream ends:
 * {@code before} runs first (a full listing, say) and returns the revision to watch from
 * ({@code 0} = from now), {@code request} builds the watch for it, {@code opened} runs once the
 * watch is open (re-reading what may have changed while no watch was open), and every event goes
 * to {@code onEvent}, on the watch's thread, in order. A compacted revision, a stream the server
 * ended, or a failure (server unreachable) starts over after a backoff of 200 ms doubling to 5 s;
 * a dropped connection is resumed by the watch itself.
 *
 * <p>Concurrency: one virtual thread runs the loop; {@link #close()} ends it and waits for it.
 */
public final class Following implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Following.class);
    private static final long MIN_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = Duration.ofSeconds(5).toMillis();

    private final WharfClient client;
    private final String what;
    private final LongSupplier before;
    private final LongFunction<WatchRequest> request;
    private final Runnable opened;
    private final Consumer<WatchEvent> onEvent;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;

    /**
     * @param what names the stream in logs and the thread's name ({@code "configs and secrets"})
     */
    public Following(WharfClient client, String what, LongSupplier before, LongFunction<WatchRequest> request,
                     Runnable opened, Consumer<WatchEvent> onEvent) {
        this.client = client;
        this.what = what;
        this.before = before;
        this.request = request;
        this.opened = opened;
        this.onEvent = onEvent;
        this.thread = Thread.ofVirtual().name("follow-" + what.replace(' ', '-')).start(this::run);
    }

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        while (!closed.isDone()) {
            try {
                long from = before.getAsLong();
                var ended = new CompletableFuture<Throwable>();
                try (WatchStream ignored = client.watch(request.apply(from), listener(ended))) {
                    opened.run();
                    backoff = MIN_BACKOFF_MILLIS;
                    CompletableFuture.anyOf(ended, closed).join();
                }
                if (closed.isDone()) return;
                Throwable error = ended.getNow(null);
                log.info("watch of {} ended{}; following again", what, error == null ? "" : ": " + error.getMessage());
            } catch (RuntimeException e) {
                log.warn("cannot follow {} ({}); retrying in {} ms", what, e.getMessage(), backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
            try {
                closed.get(backoff, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException again) {
                // start over
            } catch (Exception interrupted) {
                return;
            }
        }
    }

    private WatchListener listener(CompletableFuture<Throwable> ended) {
        return new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onCompacted(long compactRevision) {
                ended.complete(new IllegalStateException("revision compacted at " + compactRevision));
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
