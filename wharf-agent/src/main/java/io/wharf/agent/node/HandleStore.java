package io.wharf.agent.node;

import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a later agent process needs to adopt the workloads of this one, on local disk:
 * {@code <root>/<namespace>.<name>/instance.json} (the instance as placed) and one
 * {@code <task>.handle} per running task. Every file is written to a temporary name and
 * renamed, so a {@code kill -9} at any moment leaves either the old or the new file.
 *
 * <p>Thread safety: calls for different instances may run concurrently; calls for one
 * instance come from its runner's threads one at a time (the listener contract).
 */
public final class HandleStore {
    private static final Logger log = LoggerFactory.getLogger(HandleStore.class);
    private static final String INSTANCE_FILE = "instance.json";
    private static final String HANDLE_SUFFIX = ".handle";

    /** An instance found on disk and the handles of its tasks that were running. */
    public record Persisted(Instance instance, Map<TaskId, TaskHandle> handles) {
        public Persisted {
            handles = Map.copyOf(handles);
        }
    }

    private final Path root;

    public HandleStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent state directory " + root, e);
        }
    }

    public void saveInstance(Instance instance) {
        var key = new InstanceKey(instance.metadata().namespace(), instance.metadata().name());
        write(dir(key).resolve(INSTANCE_FILE), new String(ResourceCodec.toJson(instance), java.nio.charset.StandardCharsets.UTF_8));
    }

    public void saveHandle(InstanceKey key, TaskHandle handle) {
        write(dir(key).resolve(handle.task().task() + HANDLE_SUFFIX), handle.toText());
    }

    public void removeHandle(InstanceKey key, String task) {
        try {
            Files.deleteIfExists(dir(key).resolve(task + HANDLE_SUFFIX));
        } catch (IOException e) {
            log.warn("cannot delete the handle of {}/{}", key, task, e);
        }
    }

    /** Where the files given to the instance's tasks (configs, secrets) live; they go with {@link #forget}. */
    public Path filesDir(InstanceKey key) {
        return dir(key).resolve("files");
    }

    /** Forgets the instance: its directory goes. */
    public void forget(InstanceKey key) {
        Path dir = dir(key);
        if (!Files.exists(dir)) return;
        // Two forgets may race (a runner ending as it is stopped): files vanishing meanwhile are fine.
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            if (Files.exists(dir)) log.warn("cannot delete the state of {}", key, e);
        }
    }

    /** Every instance a previous agent left behind; unreadable entries are logged and skipped. */
    public Map<InstanceKey, Persisted> load() {
        var out = new HashMap<InstanceKey, Persisted>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                InstanceKey key = InstanceKey.fromTaskInstance(dir.getFileName().toString());
                Path file = dir.resolve(INSTANCE_FILE);
                if (key == null || !Files.isRegularFile(file)) continue;
                Decoded<io.wharf.model.Resource> decoded = ResourceCodec.fromJson(Kind.INSTANCE, Files.readAllBytes(file));
                if (!decoded.ok()) {
                    log.warn("ignoring unreadable {}: {}", file, decoded.problems());
                    continue;
                }
                var handles = new HashMap<TaskId, TaskHandle>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path h : files.filter(p -> p.getFileName().toString().endsWith(HANDLE_SUFFIX)).toList()) {
                        try {
                            TaskHandle handle = TaskHandle.parse(Files.readString(h));
                            handles.put(handle.task(), handle);
                        } catch (RuntimeException e) {
                            log.warn("ignoring unreadable task handle {}", h, e);
                        }
                    }
                }
                out.put(key, new Persisted((Instance) decoded.value(), handles));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent state directory " + root, e);
        }
        return out;
    }

    private Path dir(InstanceKey key) {
        return root.resolve(key.taskInstance());
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
