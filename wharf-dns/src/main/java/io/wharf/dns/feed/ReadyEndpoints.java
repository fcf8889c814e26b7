package io.wharf.dns.feed;

import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
import io.wharf.model.Instance;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.discovery.Discovery;
import io.wharf.model.discovery.EndpointAddress;
import io.wharf.model.schema.DiscoverySchema;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.TaskSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What DNS answers with, as a pure function of the cluster's objects: the discovery view
 * ({@link Discovery#derive}, the same one the endpoints API and the gateway use — ready instances
 * at their own or their node's address, plus the external {@code Endpoint}s registered for a
 * service) turned into {@link DnsRecords}. Every service appears, with no endpoints when none is
 * ready (its name exists: NODATA, not NXDOMAIN).
 *
 * <p>What DNS adds: an address must be an IP literal (a name is never looked up; such an
 * endpoint is left out), and each port gets its protocol from the instance's task ({@code tcp}
 * for external endpoints), for {@code _port._tcp} vs {@code _port._udp} SRV names.
 */
public final class ReadyEndpoints {

  private ReadyEndpoints() {}

  public static DnsRecords build(long revision, Collection<Service> services, Collection<Instance> instances,
      Collection<Node> nodes, Collection<io.wharf.model.Endpoint> external) {
    Map<String, Map<String, String>> protocols = new HashMap<>();
    for (Instance i : instances) {
      Map<String, String> byName = new HashMap<>();
      for (TaskSpec t : i.spec().tasks()) {
        for (PortSpec p : t.ports()) {
          byName.putIfAbsent(p.name(), p.protocol().wire());
        }
      }
      protocols.put(i.metadata().namespace() + "/" + i.metadata().name(), byName);
    }
    List<ServiceEndpoints> out = new ArrayList<>();
    for (var service : Discovery.derive(services, instances, nodes, external).values()) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (EndpointAddress e : service.endpoints()) {
        Optional<InetAddress> address = ipLiteral(e.address());
        if (address.isEmpty()) {
          continue;
        }
        Map<String, String> protocol = e.source() == EndpointAddress.Source.INSTANCE
            ? protocols.getOrDefault(service.namespace() + "/" + e.instance(), Map.of()) : Map.of();
        List<EndpointPort> ports = new ArrayList<>();
        new TreeMap<>(e.ports()).forEach((name, port) -> {
          if (port != null && port > 0 && port <= 65535) {
            ports.add(new EndpointPort(name, port, protocol.getOrDefault(name, "tcp")));
          }
        });
        endpoints.add(new Endpoint(e.instance() == null ? e.address() : e.instance(), address.get(), ports));
      }
      out.add(new ServiceEndpoints(service.namespace(), service.service(), endpoints));
    }
    return new DnsRecords(revision, out);
  }

  /**
   * The address if it is an IPv4 or IPv6 literal, by the same rule that validates external
   * endpoints ({@link DiscoverySchema#isIpLiteral}); parsing a checked literal never looks a name up.
   */
  static Optional<InetAddress> ipLiteral(String text) {
    if (text == null || !DiscoverySchema.isIpLiteral(text.strip())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text.strip()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
