package io.wharf.agent;

import io.wharf.agent.config.ApiConfigSource;
import io.wharf.agent.config.TaskInputs;
import io.wharf.agent.driver.BoundedStarts;
import io.wharf.agent.driver.Driver;
import io.wharf.agent.driver.Fingerprint;
import io.wharf.agent.driver.docker.DockerConnection;
import io.wharf.agent.driver.docker.DockerDriver;
import io.wharf.agent.driver.java.JavaDriver;
import io.wharf.agent.driver.process.ProcessDriver;
import io.wharf.agent.driver.sim.SimDriver;
import io.wharf.agent.endpoint.AgentEndpoint;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.agent.node.HandleStore;
import io.wharf.agent.node.InstanceKey;
import io.wharf.agent.node.InstanceSupervisor;
import io.wharf.agent.node.NodeRuntime;
import io.wharf.agent.node.StatusReporter;
import io.wharf.agent.ambassador.Ambassadors;
import io.wharf.agent.ambassador.DependencyAddresses;
import io.wharf.client.AgentApi;
import io.wharf.client.DiscoveryApi;
import io.wharf.client.ClientSettings;
import io.wharf.client.ResourceClient;
import io.wharf.client.StatusItem;
import io.wharf.client.WharfClient;
import io.wharf.client.AuthApi;
import io.wharf.agent.identity.ApiTokenSource;
import io.wharf.agent.identity.WorkloadIdentity;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.task.RestartPolicy;
import java.util.function.Function;
import io.wharf.model.Metadata;
import io.wharf.model.Node;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent, assembled by hand (the agent's one assembly class): drivers found by
 * fingerprinting, the task log store, the handle store, the instance supervisor, the status
 * reporter, the agent's HTTP endpoint, node registration with heartbeats, and the watch of the
 * node's instances. {@link #close()} shuts them down in reverse order; workloads keep running
 * for the next agent unless the settings say to stop them.
 *
 * <p>Thread model: see wharf-agent/CONCURRENCY.md.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    /** Flush status at most this often: a burst of changes becomes one call. */
    static final Duration STATUS_INTERVAL = Duration.ofMillis(250);

    private final AgentSettings settings;
    private final TaskLogStore logs;
    private final Map<String, Driver> drivers;
    private final WharfClient client;
    private final Ambassadors ambassadors;
    private final StatusReporter reporter;
    private final InstanceSupervisor supervisor;
    private final AgentEndpoint endpoint;
    private final NodeRuntime runtime;
    private final WorkloadIdentity identity;

    private NodeAgent(AgentSettings settings, TaskLogStore logs, Map<String, Driver> drivers, WharfClient client,
                      StatusReporter reporter, InstanceSupervisor supervisor, AgentEndpoint endpoint, NodeRuntime runtime,
                      Ambassadors ambassadors, WorkloadIdentity identity) {
        this.ambassadors = ambassadors;
        this.identity = identity;
        this.settings = settings;
        this.logs = logs;
        this.drivers = drivers;
        this.client = client;
        this.reporter = reporter;
        this.supervisor = supervisor;
        this.endpoint = endpoint;
        this.runtime = runtime;
    }

    public static NodeAgent start(AgentSettings settings) {
        return start(settings, null);
    }

    /**
     * An agent whose instances' workload tokens come from {@code tokens} (tests; null: from the
     * server's API, {@link ApiTokenSource}), talking to the servers through {@code tls} (the node's
     * mutual-TLS context, see {@link io.wharf.agent.tls.NodeIdentity}; null for plain HTTP or the
     * JDK's defaults).
     */
    public static NodeAgent start(AgentSettings settings, WorkloadIdentity.TokenSource tokens) {
        return start(settings, tokens, null);
    }

    /** As {@link #start(AgentSettings, WorkloadIdentity.TokenSource)}, over {@code tls}. */
    public static NodeAgent start(AgentSettings settings, WorkloadIdentity.TokenSource tokens,
            javax.net.ssl.SSLContext tls) {
        InstantSource clock = InstantSource.system();
        Path data = settings.dataDir().toAbsolutePath();
        var logs = new TaskLogStore(data.resolve("logs"));
        Map<String, Driver> drivers = BoundedStarts.all(drivers(settings, logs, data, clock), settings.startParallelism());
        var client = new WharfClient(ClientSettings.of(settings.server().toString()).withToken(settings.token())
                .withSslContext(tls));
        var api = new AgentApi(client);
        var reporter = new StatusReporter(api, STATUS_INTERVAL);
        var handles = new HandleStore(data.resolve("instances"));
        var ambassadors = Ambassadors.start(client, data.resolve("ambassadors.json"));
        var identity = new WorkloadIdentity(tokens != null ? tokens : new ApiTokenSource(new AuthApi(client)),
                key -> handles.filesDir(key).resolveSibling("identity").resolve("token"), clock);
        var supervisor = new InstanceSupervisor(settings.nodeName(), settings.address(), drivers::get, clock, handles,
                (key, status) -> reporter.offer(key, item(key, status)), restartPolicies(new ResourceClient(client)),
                new TaskInputs(new ApiConfigSource(new ResourceClient(client))),
                new DependencyAddresses(new ResourceClient(client), new DiscoveryApi(client), ambassadors), identity);
        AgentEndpoint endpoint;
        try {
            endpoint = new AgentEndpoint(settings.bindHost(), settings.port(), supervisor, logs, clock);
        } catch (RuntimeException e) {
            identity.close();
            ambassadors.close();
            reporter.close();
            client.close();
            drivers.values().forEach(Driver::close);
            logs.close();
            throw e;
        }
        Node node = node(settings, drivers, endpoint.address());
        var runtime = NodeRuntime.start(client, api, node, settings.heartbeat(), supervisor);
        log.info("agent of node {} serving {}; drivers {}", settings.nodeName(), endpoint.address(), drivers.keySet());
        return new NodeAgent(settings, logs, drivers, client, reporter, supervisor, endpoint, runtime, ambassadors, identity);
    }

    /**
     * An instance's restart policy is the one its spec carries (copied from the owner at
     * placement). Instances placed before that was copied have none: their owner's (the Service's
     * or Job's {@code restart}) is read when the instance starts. An owner that cannot be read
     * (gone, server unreachable) gives the default of its kind.
     */
    private static Function<Instance, RestartPolicy> restartPolicies(ResourceClient resources) {
        return instance -> {
            if (instance.spec().restart() != null) return instance.spec().restart();
            ResourceRef owner = instance.spec().owner();
            try {
                Resource r = resources.get(owner.kind(), owner.namespace(), owner.name());
                return switch (r) {
                    case Service s -> s.spec().restart();
                    case Job j -> j.spec().restart();
                    default -> InstanceSupervisor.defaultRestart(instance);
                };
            } catch (RuntimeException e) {
                log.info("restart policy of {} not readable ({}); using the default", owner, e.getMessage());
                return InstanceSupervisor.defaultRestart(instance);
            }
        };
    }

    /** process and java always (on Linux); docker only when a daemon answers on the socket; sim when enabled (tests). */
    private static Map<String, Driver> drivers(AgentSettings settings, TaskLogStore logs, Path data, InstantSource clock) {
        Map<String, Driver> drivers = new LinkedHashMap<>();
        List<Driver> candidates = new ArrayList<>();
        candidates.add(new ProcessDriver(logs, data.resolve("tasks"), data.resolve("volumes"), clock));
        candidates.add(new JavaDriver(logs, data.resolve("tasks"), data.resolve("volumes"), clock));
        if (SimDriver.enabled()) candidates.add(new SimDriver(clock));
        String socket = settings.dockerHost().startsWith("unix://") ? settings.dockerHost().substring(7) : null;
        if (socket == null || Files.exists(Path.of(socket))) {
            try {
                candidates.add(new DockerDriver(new DockerConnection(settings.dockerHost(), null), logs, clock));
            } catch (RuntimeException e) {
                log.info("docker driver unavailable: {}", e.getMessage());
            }
        }
        for (Driver d : candidates) {
            Fingerprint f = d.fingerprint();
            if (f.available()) {
                drivers.put(d.name(), d);
            } else {
                log.info("driver {} unavailable: {}", d.name(), f.reason());
                d.close();
            }
        }
        return drivers;
    }

    private static Node node(AgentSettings settings, Map<String, Driver> drivers, URI agentAddress) {
        long memory = totalMemory();
        var capacity = new ComputeResources(Cpu.cores(Runtime.getRuntime().availableProcessors()), new ByteSize(memory));
        // The agent keeps a little for itself and the system.
        var reserve = new ComputeResources(new Cpu(Math.min(100, capacity.cpu().millicores())),
                new ByteSize(Math.min(256L << 20, memory)));
        var status = new NodeStatus(settings.address(), capacity, capacity.minus(reserve), List.copyOf(drivers.keySet()),
                settings.labels(), NodeState.READY, null, agentAddress.toString());
        return new Node(Metadata.cluster(settings.nodeName()), NodeSpec.DEFAULT, status);
    }

    private static long totalMemory() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getTotalMemorySize();
        return Runtime.getRuntime().maxMemory();
    }

    private static StatusItem item(InstanceKey key, InstanceStatus status) {
        // The codec writes status the way the API reads it; a placeholder spec carries it.
        var carrier = new Instance(Metadata.of(key.name(), key.namespace()),
                new InstanceSpec(new ResourceRef(io.wharf.model.Kind.SERVICE, key.namespace(), key.name()), 0, "-",
                        List.of(), Map.of()), status);
        return new StatusItem(key.namespace(), key.name(), ResourceCodec.toTree(carrier).path("status"));
    }

    public AgentSettings settings() { return settings; }

    /** The base URL of the agent's HTTP endpoint (the node's {@code agentAddress}). */
    public URI endpoint() { return endpoint.address(); }

    /** The drivers that fingerprinted OK. */
    public List<String> drivers() { return List.copyOf(drivers.keySet()); }

    /** True once the node is registered and the first listing of its instances was applied. */
    public boolean ready() { return runtime.registered() && supervisor.synced(); }

    /** The instances this agent runs now, with their status. */
    public Map<String, InstanceStatus> instances() {
        var out = new LinkedHashMap<String, InstanceStatus>();
        supervisor.entries().forEach((k, e) -> out.put(k.toString(), e.status()));
        return out;
    }

    public TaskLogStore logs() { return logs; }

    @Override
    public void close() {
        runtime.close();
        endpoint.close();
        supervisor.close(settings.stopWorkloadsOnClose());
        identity.close();
        ambassadors.close();
        reporter.close();
        client.close();
        drivers.values().forEach(Driver::close);
        logs.close();
        log.info("agent of node {} stopped{}", settings.nodeName(),
                settings.stopWorkloadsOnClose() ? " with its workloads" : "; its workloads keep running");
    }
}
