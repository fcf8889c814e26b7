package io.wharf.gateway;

import io.wharf.client.WharfClient;
import io.wharf.client.discovery.DiscoverySnapshot;
import io.wharf.client.discovery.DiscoveryWatch;
import java.util.Objects;
import java.util.function.Consumer;

/** Routes, services, instances and nodes followed on a Wharf server ({@link DiscoveryWatch}). */
public final class WatchedEndpoints implements EndpointSource {
  private final WharfClient client;
  private DiscoveryWatch watch;

  public WatchedEndpoints(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void subscribe(Consumer<DiscoverySnapshot> listener) {
    if (watch != null) {
      throw new IllegalStateException("already subscribed");
    }
    watch = DiscoveryWatch.start(client, listener);
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
