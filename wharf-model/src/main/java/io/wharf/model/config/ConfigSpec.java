package io.wharf.model.config;

/**
 * Config contents: {@code data} inline, or {@code file} — a path recorded as written in the
 * stack file; the CLI reads it and sends {@code data}, the model never does I/O.
 */
public record ConfigSpec(String data, String file) {}
