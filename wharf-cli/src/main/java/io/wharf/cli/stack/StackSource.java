package io.wharf.cli.stack;

import java.util.Objects;

/**
 * A stack file ready to send: its text, its media type ({@code application/yaml} or
 * {@code application/json}) and where it came from (a path or {@code <stdin>}) for messages.
 */
public record StackSource(String text, String contentType, String origin) {

  public StackSource {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(origin, "origin");
  }
}
