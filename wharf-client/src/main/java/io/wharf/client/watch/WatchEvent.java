package io.wharf.client.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One change: {@code type} is {@code PUT} or {@code DELETE}; {@code object} is the resource
 * after a put, or its last state before a delete.
 */
public record WatchEvent(String type, String kind, long revision, JsonNode object) {

  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(object, "object");
  }

  public boolean isDelete() {
    return "DELETE".equals(type);
  }
}
