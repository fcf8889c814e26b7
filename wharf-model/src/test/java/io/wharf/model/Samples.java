package io.wharf.model;

import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.config.ConfigSpec;
import io.wharf.model.config.SecretSpec;
import io.wharf.model.config.SecretValue;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.RateLimit;
import io.wharf.model.routing.RouteAuth;
import io.wharf.model.routing.RouteSpec;
import io.wharf.model.routing.RouteStatus;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.HealthSpec;
import io.wharf.model.task.JavaDriver;
import io.wharf.model.task.NetworkMode;
import io.wharf.model.task.PortSpec;
import io.wharf.model.task.Probe;
import io.wharf.model.task.ProbeType;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.Protocol;
import io.wharf.model.task.RestartMode;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.task.VolumeMount;
import io.wharf.model.workload.AutoscaleSpec;
import io.wharf.model.workload.ConcurrencyPolicy;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.CronJobStatus;
import io.wharf.model.workload.Dependency;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.JobPhase;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.JobAttempt;
import io.wharf.model.workload.JobStatus;
import io.wharf.model.workload.MetricType;
import io.wharf.model.workload.PlacementSpec;
import io.wharf.model.workload.PlacementStrategy;
import io.wharf.model.workload.ScaleMetric;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.RolloutRecord;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.model.workload.UpdateSpec;
import io.wharf.model.workload.UpdateStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated resource of every kind, with non-default values wherever possible. */
public final class Samples {
    private Samples() {}

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-22T10:05:00.123Z");

    static Metadata meta(String name, String ns) {
        return new Metadata(name, ns, Map.of("app", name, "wharf.io/stack", "shop"), 42, T0, T1);
    }

    public static TaskSpec webTask() {
        Probe ready = new Probe(ProbeType.HTTP, "/ready", "http", List.of(), Duration.ofSeconds(5), Duration.ofMillis(1500),
                Duration.ofSeconds(30), 4, 2);
        Probe live = new Probe(ProbeType.COMMAND, null, null, List.of("sh", "-c", "test -f /tmp/ok"), Duration.ofMinutes(1),
                Duration.ofSeconds(3), Duration.ZERO, 3, 1);
        return new TaskSpec("web", TaskLifecycle.MAIN,
                new DockerDriver("registry.local/web:1.2", List.of("/bin/entry"), List.of("serve", "--port=8080"), NetworkMode.HOST, true),
                Map.of("PORT", "8080", "DEBUG", "no"), new ComputeResources(new Cpu(500), ByteSize.ofMebibytes(256)),
                List.of(new PortSpec("http", 8080, Protocol.TCP, "127.0.0.1", 18080), new PortSpec("metrics", 0, Protocol.UDP, null, 0)),
                List.of(new VolumeMount("data", null, "/var/data", false), new VolumeMount(null, "/etc/ssl", "/ssl", true)),
                List.of(new ConfigMount("app-config", null, "/etc/app.conf", 0440), new ConfigMount("flags", "FLAGS", null, 0444)),
                List.of(new ConfigMount("db-password", "DB_PASSWORD", null, 0400)),
                new HealthSpec(live, ready), Duration.ofSeconds(90), "SIGINT");
    }

    public static TaskSpec sidecarTask() {
        return new TaskSpec("proxy", TaskLifecycle.SIDECAR, new ProcessDriver(List.of("/usr/bin/proxy"), List.of("-v"), "/srv"),
                Map.of(), ComputeResources.DEFAULT, List.of(), List.of(), List.of(), List.of(), HealthSpec.NONE, null, null);
    }

    public static TaskSpec javaTask() {
        return new TaskSpec("migrate", TaskLifecycle.PRESTART,
                new JavaDriver(null, "io.shop.Migrate", List.of("/opt/lib/a.jar", "/opt/lib/b.jar"), List.of("-Xmx64m"), List.of("up")),
                Map.of(), null, List.of(), List.of(), List.of(), List.of(), null, null, null);
    }

    public static Service service() {
        ServiceSpec spec = new ServiceSpec(3, List.of(javaTask(), webTask(), sidecarTask()),
                new RestartPolicy(RestartMode.ON_FAILURE, 5, Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofSeconds(30), 1.5),
                new UpdateSpec(UpdateStrategy.CANARY, 2, 1, 1, 20, Duration.ofSeconds(5), Duration.ofMinutes(3), false, true),
                new PlacementSpec(List.of(new Constraint("node.labels.zone", ConstraintOperator.EQUALS, "a"),
                        new Constraint("node.labels.gpu", ConstraintOperator.EXISTS, null),
                        new Constraint("node.name", ConstraintOperator.REGEX, "worker-.*")),
                        PlacementStrategy.SPREAD, false, true, List.of("batch")),
                List.of(new Dependency("db", DependencyCondition.HEALTHY), new Dependency("migrate", DependencyCondition.COMPLETED)),
                new AutoscaleSpec(2, 6, List.of(new ScaleMetric(MetricType.CPU, "70", null),
                        new ScaleMetric(MetricType.LATENCY, "200ms", null), new ScaleMetric(MetricType.CUSTOM, "5", "queue_depth")),
                        Duration.ofMinutes(2)));
        return new Service(meta("web", "shop"), spec,
                new ServiceStatus(3, 3, 2, 41, List.of(new Condition("Available", true, "MinimumReplicas", "2 of 3 ready", T0)))
                        .withRollout(rollout(spec), List.of(new RolloutRecord(30, "0123456789ab", RolloutPhase.ROLLED_BACK, T0, T1,
                                "instance web-1 not healthy within 3m", new InstanceTemplate(List.of(webTask()), null, null))), T0));
    }

    /** A canary rollout in progress, with a template to roll back to. */
    static Rollout rollout(ServiceSpec spec) {
        InstanceTemplate current = InstanceTemplate.of(spec, T0);
        return new Rollout(41, current.hash(), current, new InstanceTemplate(List.of(webTask()), RestartPolicy.SERVICE_DEFAULT, null),
                RolloutPhase.PAUSED, 1, false, false, T0, T1, null, "1 canary healthy: waiting for promotion");
    }

    public static Job job() {
        JobSpec spec = new JobSpec(List.of(TaskSpec.main("report", new ProcessDriver(List.of("/bin/report"), List.of(), null))),
                4, 2, 6, RestartPolicy.JOB_DEFAULT, Duration.ofHours(1), PlacementSpec.DEFAULT, List.of(new Dependency("db", null)));
        return new Job(meta("report", "shop"), spec, new JobStatus(JobPhase.RUNNING, 2, 1, 1, T0, null, List.of(), 3, 3,
                List.of(new JobAttempt("report-a1b2c3d4", "n1", false, 3, "exited with code 3", T1),
                        new JobAttempt("report-e5f6g7h8", "n2", true, 0, "exited with code 0", T1))));
    }

    public static CronJob cronJob() {
        return new CronJob(meta("nightly", "shop"), new CronJobSpec("30 2 * * 1-5", "Europe/Paris", ConcurrencyPolicy.FORBID,
                Duration.ofMinutes(15), 5, true, job().spec()), new CronJobStatus(T0, T0, T1, List.of("nightly-1")));
    }

    public static Route route() {
        return new Route(meta("shop", "shop"), new RouteSpec("shop.example.com", "/api", List.of(new Backend("web", "http", 90),
                new Backend("web-canary", "8080", 10)), true, Duration.ofSeconds(5), 2, new RateLimit(100, Duration.ofSeconds(1), 200),
                new RouteAuth("jwt", "https://issuer.local", List.of("shop"))), new RouteStatus(3));
    }

    public static Config config() {
        return new Config(meta("app-config", "shop"), new ConfigSpec("listen: 8080\non: yes\n", null));
    }

    public static Secret secret() {
        return new Secret(meta("db-password", "shop"), new SecretSpec(null,
                Map.of("password", new SecretValue("hunter2"), "user", new SecretValue("shop")), null));
    }

    public static Endpoint endpoint() {
        return new Endpoint(meta("db-vm1", "shop"), new io.wharf.model.discovery.EndpointSpec("db", "10.0.0.5",
                Map.of("postgres", 5432, "metrics", 9187)));
    }

    public static Namespace namespace() {
        return new Namespace(new Metadata("shop", null, Map.of("team", "payments"), 7, T0, T0), new NamespaceSpec("the shop"));
    }

    public static Stack stack() {
        return new Stack(meta("shop", "shop"), new StackSpec(List.of(new ResourceRef(Kind.SERVICE, "shop", "web"),
                new ResourceRef(Kind.NAMESPACE, null, "shop")), List.of("data"), "shop.yaml"));
    }

    public static Node node() {
        ComputeResources cap = new ComputeResources(Cpu.cores(8), ByteSize.parse("16Gi").orElseThrow());
        return new Node(new Metadata("worker-1.local", null, Map.of("zone", "a"), 3, T0, T1), new NodeSpec(true),
                new NodeStatus("127.0.0.2", cap, cap.minus(new ComputeResources(new Cpu(500), ByteSize.ofMebibytes(512))),
                        List.of("process", "docker"), Map.of("zone", "a"), NodeState.DRAINING, T1, "http://127.0.0.2:7071",
                        List.of(20001, 20002)));
    }

    public static Instance instance() {
        return new Instance(meta("web-7f3a2", "shop"), new InstanceSpec(new ResourceRef(Kind.SERVICE, "shop", "web"), 41, "worker-1.local",
                service().spec().tasks(), Map.of("http", 18080, "metrics", 31000),
                new io.wharf.model.task.RestartPolicy(io.wharf.model.task.RestartMode.ON_FAILURE, 3,
                        java.time.Duration.ofMinutes(2), java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30), 1.5)),
                new InstanceStatus(InstanceState.FAILED, Health.UNHEALTHY, 4, 137, "OOM killed", "127.0.0.2", T0, T1));
    }

    public static Event event() {
        return new Event(new Metadata("0000000000000058", "shop", Map.of(), 58, T0, T0),
                new EventSpec("Created", new ResourceRef(Kind.SERVICE, "shop", "web"), "Applied", "stack shop", T0));
    }

    public static List<Resource> all() {
        return List.of(namespace(), stack(), service(), job(), cronJob(), route(), config(), secret(), endpoint(), node(), instance(), event());
    }
}
