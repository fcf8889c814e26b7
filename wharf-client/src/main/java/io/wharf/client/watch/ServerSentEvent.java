package io.wharf.client.watch;

import java.util.Objects;

/**
 * One raw SSE message: {@code id} (null when the message had none), {@code event} name
 * ({@code message} when absent, as the SSE spec says) and {@code data} (lines joined by \n).
 */
public record ServerSentEvent(String id, String event, String data) {

  public ServerSentEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
  }
}
