package io.wharf.agent.node;

import io.wharf.client.AgentApi;
import io.wharf.client.StatusItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends instance status to the server in batches. {@link #offer} keeps only the latest status
 * per instance (coalescing); one virtual thread flushes what is pending at most every
 * {@code interval}, all of it in one call. A failed call leaves the items pending — unless a
 * newer status for the instance arrived meanwhile, which then wins — and is retried with
 * backoff, so the server ends with the latest state of every instance.
 *
 * <p>Thread safety: {@link #offer} from any thread, without blocking.
 */
public final class StatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int MAX_BATCH = 100;

    private final AgentApi api;
    private final Duration interval;
    private final Map<InstanceKey, StatusItem> pending = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private volatile long flushed;

    public StatusReporter(AgentApi api, Duration interval) {
        this.api = api;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("status-reporter").start(this::run);
    }

    public void offer(InstanceKey key, StatusItem item) {
        pending.put(key, item);
        wake.release();
    }

    /** How many items reached the server so far (for tests and metrics). */
    public long flushed() { return flushed; }

    public boolean idle() { return pending.isEmpty(); }

    private void run() {
        long backoff = interval.toMillis();
        while (!closed) {
            try {
                wake.acquire();
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            while (!pending.isEmpty() && !closed) {
                Map<InstanceKey, StatusItem> batch = new LinkedHashMap<>();
                for (var e : pending.entrySet()) {
                    if (batch.size() == MAX_BATCH) break;
                    batch.put(e.getKey(), e.getValue());
                }
                try {
                    api.reportStatus(new ArrayList<>(batch.values()));
                    batch.forEach(pending::remove); // only if unchanged since: a newer status stays pending
                    flushed += batch.size();
                    backoff = interval.toMillis();
                } catch (RuntimeException e) {
                    if (closed) return; // interrupted by close(), which flushes once more itself
                    log.warn("status report of {} instance(s) failed, retrying in {} ms: {}", batch.size(), backoff,
                            e.getMessage());
                    if (pause(backoff)) return;
                    backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
                    continue;
                }
                if (pause(interval.toMillis())) return;
            }
        }
    }

    /** Waits (a flush at most every interval); true when closed meanwhile. */
    private boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            return true;
        }
        return closed;
    }

    /** Tries one last flush of what is pending, then stops. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!pending.isEmpty()) {
            try {
                api.reportStatus(List.copyOf(pending.values()));
            } catch (RuntimeException e) {
                log.warn("final status report failed: {}", e.getMessage());
            }
        }
    }
}
