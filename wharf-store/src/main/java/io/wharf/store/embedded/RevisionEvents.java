package io.wharf.store.embedded;

import io.wharf.store.WatchEvent;
import java.util.List;

/** The events one committed revision produced, in the order its operations ran. */
record RevisionEvents(long revision, List<WatchEvent> events) {
  RevisionEvents {
    events = List.copyOf(events);
  }

  /** The events under {@code prefix}; empty when none is. */
  List<WatchEvent> under(String prefix) {
    if (prefix.isEmpty()) {
      return events;
    }
    boolean all = true;
    for (WatchEvent e : events) {
      if (!e.kv().key().startsWith(prefix)) {
        all = false;
        break;
      }
    }
    return all ? events : events.stream().filter(e -> e.kv().key().startsWith(prefix)).toList();
  }
}
