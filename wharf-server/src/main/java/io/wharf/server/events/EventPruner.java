package io.wharf.server.events;

import io.wharf.server.sequenced.SequencedLogPruner;
import io.wharf.store.Store;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Keeps the newest {@code retain} events and deletes older ones, on its own virtual thread
 * every {@code interval}. Deleting old events needs no coordination with writers: writers only
 * add keys above the counter, the pruner only removes keys far below it.
 */
public final class EventPruner extends SequencedLogPruner {
  public EventPruner(Store store, long retain, Duration interval) {
    super(store, EventLog.LOG, Retention.newest(retain), interval, InstantSource.system(), "event", "events");
  }
}
