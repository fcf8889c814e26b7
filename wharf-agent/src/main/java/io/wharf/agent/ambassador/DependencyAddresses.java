package io.wharf.agent.ambassador;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ApiException;
import io.wharf.client.DiscoveryApi;
import io.wharf.client.ResourceClient;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.ResourceRef;
import io.wharf.model.Service;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.Dependency;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The variables an instance gets for its owner's {@code dependsOn} ({@link DependencyEnv}), read
 * when the instance starts: for each dependency, its port names — the ports its tasks declare
 * when it is a service, else the ports of the external endpoints registered under its name —
 * each through this node's ambassador for it. A dependency that is a job, or has no ports, gets
 * no variables. When the owner or a dependency cannot be read the instance starts without those
 * variables (logged), as it would without the dependency.
 *
 * <p>Thread safety: stateless apart from the thread-safe {@link Ambassadors}.
 */
public final class DependencyAddresses implements Function<Instance, Map<String, String>> {
    private static final Logger log = LoggerFactory.getLogger(DependencyAddresses.class);

    private final ResourceClient resources;
    private final DiscoveryApi discovery;
    private final Ambassadors ambassadors;

    public DependencyAddresses(ResourceClient resources, DiscoveryApi discovery, Ambassadors ambassadors) {
        this.resources = resources;
        this.discovery = discovery;
        this.ambassadors = ambassadors;
    }

    @Override
    public Map<String, String> apply(Instance instance) {
        ResourceRef owner = instance.spec().owner();
        List<Dependency> dependencies;
        try {
            Resource r = resources.get(owner.kind(), owner.namespace(), owner.name());
            dependencies = switch (r) {
                case Service s -> s.spec().dependsOn();
                case Job j -> j.spec().dependsOn();
                default -> List.of();
            };
        } catch (RuntimeException e) {
            log.warn("dependencies of {} not readable ({}); starting {} without their addresses", owner,
                    e.getMessage(), instance.metadata().name());
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Dependency d : dependencies) {
            try {
                List<String> ports = portNames(owner.namespace(), d.name());
                List<Map.Entry<String, Integer>> local = new ArrayList<>();
                for (String port : ports) {
                    local.add(new AbstractMap.SimpleEntry<>(port,
                            ambassadors.ensure(new AmbassadorKey(owner.namespace(), d.name(), port))));
                }
                env.putAll(DependencyEnv.variables(d.name(), local));
            } catch (RuntimeException e) {
                log.warn("address of dependency {} of {} not available ({}); starting without it", d.name(), owner,
                        e.getMessage());
            }
        }
        return env;
    }

    /** The dependency's port names in declared order; empty for a job or an unknown name. */
    private List<String> portNames(String namespace, String dependency) {
        try {
            Resource r = resources.get(Kind.SERVICE, namespace, dependency);
            if (r instanceof Service s) {
                Set<String> names = new LinkedHashSet<>();
                for (TaskSpec t : s.spec().tasks()) {
                    for (PortSpec p : t.ports()) {
                        names.add(p.name());
                    }
                }
                return List.copyOf(names);
            }
        } catch (ApiException e) {
            if (e.status() != 404) throw e;
        }
        Set<String> names = new LinkedHashSet<>();
        try {
            for (JsonNode e : discovery.service(namespace, dependency).path("endpoints")) {
                e.path("ports").fieldNames().forEachRemaining(names::add);
            }
        } catch (ApiException e) {
            if (e.status() != 404) throw e;
        }
        return List.copyOf(names);
    }
}
