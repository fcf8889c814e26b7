package io.wharf.agent.logs;

import io.wharf.agent.driver.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's task logs under one root: {@code root/<instance>/<task>/stdout.log}. A virtual
 * thread visits every task's files each {@code tick} to checkpoint and rotate them, which is how
 * output written straight to the file by a host process gets rotated.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class TaskLogStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskLogStore.class);

    private final Path root;
    private final LogRotation rotation;
    private final InstantSource clock;
    private final ConcurrentMap<TaskId, TaskLogFiles> tasks = new ConcurrentHashMap<>();
    private final Thread maintainer;
    private volatile boolean closed;

    public TaskLogStore(Path root, LogRotation rotation, InstantSource clock, Duration tick) {
        this.root = root;
        this.rotation = rotation;
        this.clock = clock;
        this.maintainer = Thread.ofVirtual().name("task-logs-maintainer").start(() -> maintainLoop(tick));
    }

    public TaskLogStore(Path root) {
        this(root, LogRotation.DEFAULT, InstantSource.system(), Duration.ofSeconds(1));
    }

    public Path root() { return root; }

    /** The files of {@code task}, created on first use. */
    public TaskLogFiles files(TaskId task) {
        return tasks.computeIfAbsent(task, t -> new TaskLogFiles(root.resolve(t.instance()).resolve(t.task()), rotation, clock));
    }

    public LogReader reader(TaskId task) {
        return new LogReader(files(task));
    }

    /** Forgets and deletes the task's logs (when its instance is removed from the node). */
    public void delete(TaskId task) {
        TaskLogFiles f = tasks.remove(task);
        (f != null ? f : new TaskLogFiles(root.resolve(task.instance()).resolve(task.task()), rotation, clock)).delete();
    }

    private void maintainLoop(Duration tick) {
        while (!closed) {
            for (TaskLogFiles f : tasks.values()) {
                try {
                    f.maintain();
                } catch (RuntimeException e) {
                    log.warn("log maintenance failed in {}: {}", f.dir(), e.toString());
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(tick.toMillis()));
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(maintainer);
        try {
            maintainer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
