package io.wharf.agent.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log files of one task: {@code stdout.log}, {@code stdout.log.1} ... {@code .N} (oldest
 * last), the same for stderr, and beside each a {@code .idx} file of {@code epochMillis size}
 * checkpoints that maps time to byte offsets.
 *
 * <p>Rotation copies the live file to {@code .1} and truncates it, so a process that holds the
 * file open in append mode (a host process started by an earlier agent) keeps writing to it.
 * Lines written between the copy and the truncation are lost; that window is microseconds.
 *
 * <p>Thread safety: writers made by {@link #appender} and {@link #maintain} share one lock.
 */
public final class TaskLogFiles {
    private final Path dir;
    private final LogRotation rotation;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Size at the last checkpoint, per stream: an unchanged file needs no new checkpoint. */
    private final long[] checkpointed = {-1, -1};

    TaskLogFiles(Path dir, LogRotation rotation, InstantSource clock) {
        this.dir = dir;
        this.rotation = rotation;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            for (LogStream s : LogStream.values()) {
                if (!Files.exists(current(s))) Files.createFile(current(s));
                if (!Files.exists(index(current(s)))) checkpoint(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + dir, e);
        }
    }

    public Path dir() { return dir; }

    public LogRotation rotation() { return rotation; }

    /** The live file a task writes {@code stream} to. */
    public Path current(LogStream stream) { return dir.resolve(stream.fileName()); }

    /** The file {@code generation} rotations old (0 = live). */
    public Path generation(LogStream stream, int generation) {
        return generation == 0 ? current(stream) : dir.resolve(stream.fileName() + "." + generation);
    }

    static Path index(Path logFile) { return logFile.resolveSibling(logFile.getFileName() + ".idx"); }

    /**
     * An append-mode stream into {@code stream}'s live file for writers inside the agent (container
     * log streams); it rotates the file when a write takes it past the limit. Not thread safe
     * itself: one writer per stream.
     */
    public OutputStream appender(LogStream stream) {
        return new OutputStream() {
            private FileChannel channel = open();

            private FileChannel open() {
                try {
                    return FileChannel.open(current(stream), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                lock.lock();
                try {
                    var buf = java.nio.ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) channel.write(buf);
                    if (channel.size() > rotation.maxFileBytes()) rotate(stream);
                } finally {
                    lock.unlock();
                }
            }

            @Override public void close() throws IOException { channel.close(); }
        };
    }

    /** Records a time checkpoint for both streams and rotates those past the limit. Called periodically. */
    public void maintain() {
        lock.lock();
        try {
            for (LogStream s : LogStream.values()) {
                if (Files.size(current(s)) > rotation.maxFileBytes()) rotate(s); else checkpoint(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot maintain logs in " + dir, e);
        } finally {
            lock.unlock();
        }
    }

    private void rotate(LogStream s) throws IOException {
        checkpointed[s.ordinal()] = -1;
        checkpoint(s);
        Files.deleteIfExists(generation(s, rotation.keepFiles()));
        Files.deleteIfExists(index(generation(s, rotation.keepFiles())));
        for (int g = rotation.keepFiles() - 1; g >= 1; g--) {
            if (Files.exists(generation(s, g))) {
                Files.move(generation(s, g), generation(s, g + 1), StandardCopyOption.REPLACE_EXISTING);
                if (Files.exists(index(generation(s, g)))) {
                    Files.move(index(generation(s, g)), index(generation(s, g + 1)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.copy(current(s), generation(s, 1), StandardCopyOption.REPLACE_EXISTING);
        Files.move(index(current(s)), index(generation(s, 1)), StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(current(s), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        checkpointed[s.ordinal()] = -1;
        checkpoint(s);
    }

    private void checkpoint(LogStream s) throws IOException {
        long size = Files.size(current(s));
        if (checkpointed[s.ordinal()] == size) return;
        checkpointed[s.ordinal()] = size;
        String line = clock.millis() + " " + size + "\n";
        Files.writeString(index(current(s)), line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Deletes every file of this task. */
    void delete() {
        lock.lock();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete logs in " + dir, e);
        } finally {
            lock.unlock();
        }
    }
}
