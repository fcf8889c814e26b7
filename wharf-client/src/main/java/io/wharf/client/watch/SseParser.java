package io.wharf.client.watch;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads Server-Sent Events from a line stream (the subset of the WHATWG rules Wharf's server
 * uses: {@code id}, {@code event}, {@code data}, comments; {@code retry} is ignored).
 *
 * <p>Not thread safe: one reader thread owns it.
 */
final class SseParser {

  private final BufferedReader in;

  SseParser(BufferedReader in) {
    this.in = in;
  }

  /** The next complete message, or empty at the end of the stream (a partial message is dropped). */
  Optional<ServerSentEvent> next() throws IOException {
    String id = null;
    String event = null;
    StringBuilder data = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null || event != null || id != null) {
          return Optional.of(new ServerSentEvent(id, event == null ? "message" : event,
              data == null ? "" : data.toString()));
        }
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        default -> { }
      }
    }
    return Optional.empty();
  }
}
