package io.wharf.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each container's stdout and stderr stream into its task's log files while the
 * container runs. One follower per container, attached after the container started (the daemon
 * ends a follow request on a container that is not running at once) and from the container's
 * first line, so nothing written before attaching is lost. The stream ends by itself when the
 * container stops; {@link #stop} waits briefly for it to drain.
 */
final class ContainerLogs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerLogs.class);

    private static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(2);
    private final DockerClient client;
    private final Map<String, ResultCallback.Adapter<Frame>> followers = new ConcurrentHashMap<>();

    ContainerLogs(DockerClient client) {
        this.client = client;
    }

    /** Follows {@code containerId}'s output written since {@code since} (null = from the start). */
    void follow(String containerId, TaskId task, TaskLogFiles files, Instant since) {
        OutputStream out = files.appender(LogStream.STDOUT);
        OutputStream err = files.appender(LogStream.STDERR);
        var cmd = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true);
        if (since != null) cmd.withSince((int) since.getEpochSecond());
        var callback = new ResultCallback.Adapter<Frame>() {
            @Override public void onNext(Frame frame) {
                try {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).write(frame.getPayload());
                } catch (IOException e) {
                    log.warn("cannot write logs of {}: {}", task, e.toString());
                }
            }

            @Override public void close() throws IOException {
                super.close();
                out.close();
                err.close();
            }

            @Override public void onComplete() {
                super.onComplete();
                followers.remove(containerId);
                closeQuietly(this);
            }

            @Override public void onError(Throwable t) {
                followers.remove(containerId);
                closeQuietly(this);
            }
        };
        followers.put(containerId, cmd.exec(callback));
    }

    /** Stops copying {@code containerId}'s output, after letting a stopped container's stream drain. */
    void drainAndStop(String containerId) {
        ResultCallback.Adapter<Frame> c = followers.remove(containerId);
        if (c == null) return;
        try {
            c.awaitCompletion(DRAIN.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(c);
    }

    /** Stops copying at once (a running container about to be removed, or the driver closing). */
    void abandon(String containerId) {
        Closeable c = followers.remove(containerId);
        if (c != null) closeQuietly(c);
    }

    @Override
    public void close() {
        followers.keySet().forEach(this::abandon);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
