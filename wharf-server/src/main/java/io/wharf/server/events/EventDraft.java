package io.wharf.server.events;

import java.util.Objects;

/** An event to record with a change; it gets its sequence number and time when committed. */
public record EventDraft(EventType type, InvolvedObject involved, String reason, String message) {
  public EventDraft {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(involved, "involved");
    Objects.requireNonNull(reason, "reason");
    message = message == null ? "" : message;
  }
}
