package io.wharf.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.wharf.agent.driver.ExitResult;
import java.io.Closeable;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exit futures of the containers the driver watches, completed from the daemon's events stream
 * ({@code die} events of containers labelled {@code wharf.managed}) the moment a container dies.
 * When the stream breaks (daemon restart) it is opened again and every watched container is
 * inspected, so no death goes unnoticed.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
final class ContainerExits implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerExits.class);

    private final DockerClient client;
    private final InstantSource clock;
    private final Map<String, CompletableFuture<ExitResult>> exits = new ConcurrentHashMap<>();
    private volatile Closeable stream;
    private volatile boolean closed;

    ContainerExits(DockerClient client, InstantSource clock) {
        this.client = client;
        this.clock = clock;
        subscribe();
    }

    /** The exit future of {@code containerId}; completed at once if it is not running. */
    CompletableFuture<ExitResult> watch(String containerId) {
        CompletableFuture<ExitResult> f = exits.computeIfAbsent(containerId, id -> new CompletableFuture<>());
        if (!f.isDone()) check(containerId);
        return f;
    }

    void forget(String containerId) {
        exits.remove(containerId);
    }

    private void subscribe() {
        var callback = new ResultCallback.Adapter<Event>() {
            @Override public void onNext(Event e) {
                if (e.getId() != null && exits.containsKey(e.getId())) check(e.getId());
            }

            @Override public void onError(Throwable t) {
                if (!closed) log.warn("docker events stream failed; reopening: {}", t.toString());
                resubscribe();
            }

            @Override public void onComplete() {
                resubscribe();
            }
        };
        stream = client.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("die")
                .withLabelFilter(ContainerSpecs.LABEL_MANAGED).exec(callback);
    }

    private void resubscribe() {
        if (closed) return;
        Thread.ofVirtual().name("docker-events-reopen").start(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            if (closed) return;
            try {
                subscribe();
                exits.keySet().forEach(this::check);
            } catch (RuntimeException e) {
                log.warn("cannot reopen docker events stream: {}", e.toString());
                resubscribe();
            }
        });
    }

    /** Completes the container's future if it no longer runs. */
    private void check(String containerId) {
        CompletableFuture<ExitResult> f = exits.get(containerId);
        if (f == null || f.isDone()) return;
        try {
            InspectContainerResponse.ContainerState s = client.inspectContainerCmd(containerId).exec().getState();
            if (Boolean.TRUE.equals(s.getRunning()) || "created".equals(s.getStatus())) return;
            int code = s.getExitCodeLong() == null ? -1 : s.getExitCodeLong().intValue();
            boolean oom = Boolean.TRUE.equals(s.getOOMKilled());
            f.complete(new ExitResult(code, oom, ExitResult.describe(code, oom), clock.instant()));
        } catch (NotFoundException e) {
            f.complete(new ExitResult(-1, false, "container removed", clock.instant()));
        }
    }

    @Override
    public void close() {
        closed = true;
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
