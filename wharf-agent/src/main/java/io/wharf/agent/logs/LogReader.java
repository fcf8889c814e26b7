package io.wharf.agent.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Reads one task's log lines: everything kept, or only lines written {@code since} an instant
 * (to the granularity of the store's tick: a line written up to one tick before may be
 * included), and follows new lines as they come, across rotations.
 */
public final class LogReader {
    private static final long POLL_MILLIS = 100;
    private final TaskLogFiles files;

    LogReader(TaskLogFiles files) {
        this.files = files;
    }

    /** The complete lines of {@code stream} written since {@code since} (null = all kept), oldest first. */
    public List<LogLine> read(LogStream stream, Instant since) {
        var out = new ArrayList<LogLine>();
        for (int g = files.rotation().keepFiles(); g >= 0; g--) {
            Path p = files.generation(stream, g);
            if (!Files.exists(p)) continue;
            long from = since == null ? 0 : offsetSince(p, since);
            readLines(p, from, Long.MAX_VALUE, stream, out::add);
        }
        return out;
    }

    /**
     * Calls {@code sink} with each complete line of {@code stream} written from now on (after the
     * lines {@link #read} returned), on a virtual thread, until the returned handle is closed.
     */
    public AutoCloseable follow(LogStream stream, Consumer<LogLine> sink) {
        Path live = files.current(stream);
        long start;
        try {
            start = Files.size(live);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = Thread.ofVirtual().name("log-follow-" + files.dir().getFileName()).start(() -> {
            long pos = start;
            var partial = new StringBuilder();
            while (!stopped.get()) {
                try {
                    long size = Files.size(live);
                    if (size < pos) {
                        // Rotated: what we had not read yet is at the end of generation 1.
                        emit(files.generation(stream, 1), pos, stream, partial, sink);
                        pos = 0;
                    }
                    pos = emit(live, pos, stream, partial, sink);
                } catch (IOException | UncheckedIOException e) {
                    // file briefly missing during rotation; try again on the next poll
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            }
        });
        return () -> {
            stopped.set(true);
            t.join(Duration.ofSeconds(2));
        };
    }

    private static long emit(Path p, long from, LogStream stream, StringBuilder partial, Consumer<LogLine> sink)
            throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long size = f.length();
            if (size <= from) return from;
            byte[] data = new byte[(int) Math.min(size - from, 1 << 20)];
            f.seek(from);
            f.readFully(data);
            String text = partial + new String(data, StandardCharsets.UTF_8);
            partial.setLength(0);
            int startOfLine = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    sink.accept(new LogLine(stream, text.substring(startOfLine, i)));
                    startOfLine = i + 1;
                }
            }
            partial.append(text, startOfLine, text.length());
            return from + data.length;
        }
    }

    /** The byte offset in {@code p} of the first line written after the last checkpoint at or before {@code since}. */
    private static long offsetSince(Path p, Instant since) {
        Path idx = TaskLogFiles.index(p);
        if (!Files.exists(idx)) return 0;
        long offset = 0;
        try {
            for (String line : Files.readAllLines(idx, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split(" ");
                if (parts.length != 2) continue;
                if (Long.parseLong(parts[0]) <= since.toEpochMilli()) offset = Long.parseLong(parts[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return offset;
    }

    private static void readLines(Path p, long from, long to, LogStream stream, Consumer<LogLine> sink) {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long end = Math.min(f.length(), to);
            if (from >= end) return;
            if (from > 0) {
                // Start at a line boundary: skip the rest of a line that began before the offset.
                f.seek(from - 1);
                if (f.read() != '\n') {
                    while (f.getFilePointer() < end && f.read() != '\n') { /* skip */ }
                }
                from = f.getFilePointer();
            }
            byte[] data = new byte[(int) (end - from)];
            f.seek(from);
            f.readFully(data);
            String text = new String(data, StandardCharsets.UTF_8);
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    sink.accept(new LogLine(stream, text.substring(start, i)));
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
