package io.wharf.agent.logs;

/** Size-based rotation: a file past {@code maxFileBytes} is rotated; {@code keepFiles} older files are kept. */
public record LogRotation(long maxFileBytes, int keepFiles) {
    public static final LogRotation DEFAULT = new LogRotation(10L << 20, 5);

    public LogRotation {
        if (maxFileBytes < 1) throw new IllegalArgumentException("maxFileBytes must be > 0");
        if (keepFiles < 1) throw new IllegalArgumentException("keepFiles must be > 0");
    }
}
