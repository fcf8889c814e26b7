package io.wharf.dns;

import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.dns.feed.ClusterFeed;
import java.time.Duration;

/**
 * A {@link DnsServer} fed from the cluster: owns the server, an API client and the
 * {@link ClusterFeed} that follows services, instances, nodes and external endpoints through it. What
 * {@code wharf dns} runs, and {@code wharf dev} beside its control plane.
 *
 * <p>{@link #close()} stops the feed, then the server, then the client.
 */
public final class ClusterDns implements AutoCloseable {

  private final DnsServer server;
  private final WharfClient client;
  private final ClusterFeed feed;

  private ClusterDns(DnsServer server, WharfClient client, ClusterFeed feed) {
    this.server = server;
    this.client = client;
    this.feed = feed;
  }

  /**
   * Binds the server (it answers at once, from an empty zone until the first listing arrives)
   * and starts following the servers at {@code api}.
   */
  public static ClusterDns start(ClientSettings api, DnsConfig config) {
    DnsServer server = DnsServer.start(config);
    WharfClient client = new WharfClient(api);
    return new ClusterDns(server, client, ClusterFeed.start(client, server::update));
  }

  public DnsServer server() {
    return server;
  }

  /** Waits until the first snapshot of the cluster is served; true when it is. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return feed.awaitSynced(timeout);
  }

  @Override
  public void close() {
    try {
      feed.close();
    } finally {
      try {
        server.close();
      } finally {
        client.close();
      }
    }
  }
}
