package io.wharf.agent.logs;

import java.util.Objects;

/** One line a task wrote, without its line break. */
public record LogLine(LogStream stream, String text) {
    public LogLine {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }
}
