package io.wharf.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.TaskId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskLogStoreTest {
    private static final TaskId TASK = new TaskId("web-1", "main");

    @TempDir Path dir;
    /** A settable clock: checkpoints get the times the test chooses. */
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private TaskLogStore store;

    @AfterEach
    void tearDown() {
        if (store != null) store.close();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> read(LogStream stream, Instant since) {
        return store.reader(TASK).read(stream, since).stream().map(LogLine::text).toList();
    }

    @Test
    void filesPastTheLimitAreRotatedKeepingTheNewestFiles() throws IOException {
        store = new TaskLogStore(dir, new LogRotation(100, 2), clock, Duration.ofHours(1));
        try (OutputStream out = store.files(TASK).appender(LogStream.STDOUT)) {
            for (int i = 0; i < 30; i++) write(out, String.format("line %02d ----------\n", i)); // 19 bytes each
        }
        TaskLogFiles files = store.files(TASK);
        assertThat(files.generation(LogStream.STDOUT, 1)).exists();
        assertThat(files.generation(LogStream.STDOUT, 2)).exists();
        assertThat(files.generation(LogStream.STDOUT, 3)).doesNotExist();
        assertThat(read(LogStream.STDOUT, null)).endsWith("line 29 ----------")
                .hasSizeLessThan(30).isEqualTo(IntStream.range(30 - read(LogStream.STDOUT, null).size(), 30)
                        .mapToObj(i -> String.format("line %02d ----------", i)).toList());
    }

    @Test
    void outputOfAnOutsideWriterIsRotatedByMaintenanceAndItKeepsAppending() throws IOException {
        store = new TaskLogStore(dir, new LogRotation(50, 3), clock, Duration.ofHours(1));
        Path live = store.files(TASK).current(LogStream.STDERR);
        Files.writeString(live, "a".repeat(60) + "\n", StandardOpenOption.APPEND);
        store.files(TASK).maintain();
        Files.writeString(live, "after rotation\n", StandardOpenOption.APPEND);

        assertThat(store.files(TASK).generation(LogStream.STDERR, 1)).hasContent("a".repeat(60));
        assertThat(read(LogStream.STDERR, null)).containsExactly("a".repeat(60), "after rotation");
    }

    @Test
    void sinceSkipsLinesWrittenBeforeTheCheckpointAtOrBeforeIt() throws IOException {
        store = new TaskLogStore(dir, new LogRotation(1 << 20, 3), clock, Duration.ofHours(1));
        Path live = store.files(TASK).current(LogStream.STDOUT);
        Files.writeString(live, "old 1\nold 2\n", StandardOpenOption.APPEND);
        now.set(now.get().plusSeconds(10));
        store.files(TASK).maintain();
        Files.writeString(live, "new 1\n", StandardOpenOption.APPEND);
        now.set(now.get().plusSeconds(10));
        store.files(TASK).maintain();

        assertThat(read(LogStream.STDOUT, Instant.parse("2026-01-01T00:00:12Z"))).containsExactly("new 1");
        assertThat(read(LogStream.STDOUT, Instant.parse("2026-01-01T00:00:05Z"))).containsExactly("old 1", "old 2", "new 1");
        assertThat(read(LogStream.STDOUT, Instant.parse("2026-01-01T00:00:25Z"))).isEmpty();
    }

    @Test
    void followDeliversNewLinesAcrossARotation() throws Exception {
        store = new TaskLogStore(dir, new LogRotation(40, 3), clock, Duration.ofMillis(20));
        Path live = store.files(TASK).current(LogStream.STDOUT);
        Files.writeString(live, "before follow\n", StandardOpenOption.APPEND);
        var seen = new CopyOnWriteArrayList<String>();
        try (AutoCloseable f = store.reader(TASK).follow(LogStream.STDOUT, l -> seen.add(l.text()))) {
            Files.writeString(live, "first followed line\npartial", StandardOpenOption.APPEND);
            await().until(() -> seen.contains("first followed line"));
            Files.writeString(live, " now complete\n", StandardOpenOption.APPEND);
            await().until(() -> store.files(TASK).generation(LogStream.STDOUT, 1).toFile().exists());
            Files.writeString(live, "after rotation\n", StandardOpenOption.APPEND);
            await().untilAsserted(() -> assertThat(seen)
                    .containsExactly("first followed line", "partial now complete", "after rotation"));
        }
    }
}
