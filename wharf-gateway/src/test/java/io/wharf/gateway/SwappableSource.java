package io.wharf.gateway;

import io.wharf.client.discovery.DiscoverySnapshot;
import java.util.function.Consumer;

/** An endpoint source a test drives by hand: {@link #set} delivers a snapshot. */
final class SwappableSource implements EndpointSource {
  private volatile Consumer<DiscoverySnapshot> listener = s -> { };

  @Override
  public void subscribe(Consumer<DiscoverySnapshot> l) {
    this.listener = l;
  }

  void set(DiscoverySnapshot snapshot) {
    listener.accept(snapshot);
  }
}
