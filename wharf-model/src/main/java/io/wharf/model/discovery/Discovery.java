package io.wharf.model.discovery;

import io.wharf.model.Endpoint;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.task.TaskSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The discovery view, derived and never stored: for every service, the addresses of its ready
 * instances plus the external {@link Endpoint}s registered for it. Pure, so the server's
 * endpoints API, the DNS server and the gateway compute the same answer from the same objects.
 */
public final class Discovery {
    private Discovery() {}

    /** Key of a service in the view: namespace and name. */
    public record ServiceKey(String namespace, String service) implements Comparable<ServiceKey> {
        private static final Comparator<ServiceKey> ORDER =
                Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::service);

        @Override public int compareTo(ServiceKey o) { return ORDER.compare(this, o); }
    }

    private static final Comparator<EndpointAddress> ADDRESS_ORDER = Comparator
            .comparing(EndpointAddress::address)
            .thenComparing(e -> e.ports().toString())
            .thenComparing(EndpointAddress::instance);

    /**
     * Ready means running and passing readiness: healthy, or (without a readiness check) running
     * and not reported unhealthy. Only ready instances receive traffic.
     */
    public static boolean ready(Instance i) {
        if (i.status().state() != InstanceState.RUNNING) {
            return false;
        }
        boolean hasReadiness = i.spec().tasks().stream().map(TaskSpec::health).anyMatch(h -> h.readiness() != null);
        return i.status().health() == Health.HEALTHY || (!hasReadiness && i.status().health() != Health.UNHEALTHY);
    }

    /**
     * Every service's endpoints, sorted by namespace and service: each of {@code services} (with
     * an empty list while none is ready, so "exists without addresses" differs from "unknown"),
     * and every service name an external endpoint names. Instances of jobs are left out; an
     * instance without an address (neither its own nor its node's) is left out too.
     */
    public static Map<ServiceKey, ServiceEndpoints> derive(Collection<Service> services, Collection<Instance> instances,
                                                          Collection<Node> nodes, Collection<Endpoint> external) {
        Map<String, String> nodeAddresses = new HashMap<>();
        for (Node n : nodes) {
            if (n.status().address() != null) {
                nodeAddresses.put(n.metadata().name(), n.status().address());
            }
        }
        Map<ServiceKey, List<EndpointAddress>> grouped = new TreeMap<>();
        for (Service s : services) {
            grouped.put(new ServiceKey(s.metadata().namespace(), s.metadata().name()), new ArrayList<>());
        }
        for (Instance i : instances) {
            if (i.spec().owner().kind() != Kind.SERVICE || !ready(i)) {
                continue;
            }
            String address = i.status().address() != null ? i.status().address() : nodeAddresses.get(i.spec().node());
            if (address == null) {
                continue;
            }
            grouped.computeIfAbsent(new ServiceKey(i.metadata().namespace(), i.spec().owner().name()), k -> new ArrayList<>())
                    .add(new EndpointAddress(address, i.spec().assignedPorts(), EndpointAddress.Source.INSTANCE,
                            i.metadata().name(), i.spec().node()));
        }
        for (Endpoint e : external) {
            grouped.computeIfAbsent(new ServiceKey(e.metadata().namespace(), e.spec().service()), k -> new ArrayList<>())
                    .add(new EndpointAddress(e.spec().address(), e.spec().ports(), EndpointAddress.Source.EXTERNAL,
                            e.metadata().name(), null));
        }
        Map<ServiceKey, ServiceEndpoints> view = new TreeMap<>();
        grouped.forEach((k, list) -> {
            list.sort(ADDRESS_ORDER);
            view.put(k, new ServiceEndpoints(k.namespace(), k.service(), list));
        });
        return view;
    }
}
