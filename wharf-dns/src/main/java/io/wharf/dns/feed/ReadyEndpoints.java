package io.wharf.dns.feed;

import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.ResourceRef;
import io.wharf.model.Service;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.TaskSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which instances DNS answers with, as a pure function of the cluster's services, instances and
 * nodes. An instance is an endpoint of its service when:
 * <ul>
 *   <li>it is {@code running} and ready: healthy, or (without a readiness check) not unhealthy
 *       — the rule the service controller counts {@code ready} by;
 *   <li>its node is known and not {@code down};
 *   <li>it has an address: the instance's reported one, else its node's, as an IP literal.
 * </ul>
 * Its ports are the instance's assigned ports by name (the task's declared port when none was
 * assigned), with the protocol its task declares. Every service appears, with no endpoints when
 * none is ready (its name exists: NODATA, not NXDOMAIN).
 */
public final class ReadyEndpoints {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ReadyEndpoints() {}

  public static DnsRecords build(long revision, Collection<Service> services,
      Collection<Instance> instances, Collection<Node> nodes) {
    Map<String, Node> nodesByName = new HashMap<>();
    for (Node n : nodes) {
      nodesByName.put(n.metadata().name(), n);
    }
    Map<String, List<Endpoint>> byService = new LinkedHashMap<>();
    for (Service s : services) {
      byService.put(key(s.metadata().namespace(), s.metadata().name()), new ArrayList<>());
    }
    for (Instance i : instances) {
      ResourceRef owner = i.spec().owner();
      if (owner.kind() != Kind.SERVICE) {
        continue;
      }
      List<Endpoint> endpoints = byService.get(key(owner.namespace(), owner.name()));
      if (endpoints == null || !ready(i)) {
        continue;
      }
      Node node = nodesByName.get(i.spec().node());
      if (node == null || node.status().state() == NodeState.DOWN) {
        continue;
      }
      Optional<InetAddress> address = ipLiteral(i.status().address())
          .or(() -> ipLiteral(node.status().address()));
      if (address.isEmpty()) {
        continue;
      }
      endpoints.add(new Endpoint(i.metadata().name(), address.get(), ports(i)));
    }
    List<ServiceEndpoints> out = new ArrayList<>();
    for (Service s : services) {
      List<Endpoint> endpoints = byService.get(key(s.metadata().namespace(), s.metadata().name()));
      endpoints.sort(Comparator.comparing(Endpoint::instance));
      out.add(new ServiceEndpoints(s.metadata().namespace(), s.metadata().name(), endpoints));
    }
    out.sort(Comparator.comparing(ServiceEndpoints::namespace).thenComparing(ServiceEndpoints::service));
    return new DnsRecords(revision, out);
  }

  /** Running and passing readiness; without a readiness check, running and not unhealthy. */
  static boolean ready(Instance i) {
    if (i.status().state() != InstanceState.RUNNING) {
      return false;
    }
    boolean hasReadiness = i.spec().tasks().stream()
        .anyMatch(t -> t.health() != null && t.health().readiness() != null);
    Health health = i.status().health();
    return health == Health.HEALTHY || (!hasReadiness && health != Health.UNHEALTHY);
  }

  private static List<EndpointPort> ports(Instance i) {
    Map<String, EndpointPort> ports = new LinkedHashMap<>();
    for (TaskSpec t : i.spec().tasks()) {
      for (PortSpec p : t.ports()) {
        Integer assigned = i.spec().assignedPorts().get(p.name());
        int number = assigned != null ? assigned : p.port();
        if (number > 0 && number <= 65535) {
          ports.putIfAbsent(p.name(), new EndpointPort(p.name(), number, p.protocol().wire()));
        }
      }
    }
    return List.copyOf(ports.values());
  }

  /** The address if it is an IPv4 or IPv6 literal (never a name lookup). */
  static Optional<InetAddress> ipLiteral(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = text.strip();
    if (!IPV4.matcher(t).matches() && !(t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.%a-zA-Z]+"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
