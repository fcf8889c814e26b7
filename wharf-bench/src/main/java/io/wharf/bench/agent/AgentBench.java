package io.wharf.bench.agent;

import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.docker.DockerdFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Wharf's node agent (docker driver) side by side with Docker Swarm and sequential
 * {@code docker run -d}, on ONE private dockerd ({@link DockerdFixture}: its own socket and
 * data root, {@code --bridge=none}, host networking only, loopback only), in one run:
 *
 * <ol>
 *   <li>50 replicas of a busybox {@code sleep}: from apply (or {@code docker service create}) until
 *       the daemon lists 50 running containers of the service;</li>
 *   <li>rolling update of those replicas, {@value #ROLL_PARALLELISM} at a time, stop-first, no health
 *       wait (Wharf {@code update: {parallelism: 5, maxSurge: 0, minHealthyTime: 0s}}, Swarm
 *       {@code service update --force --update-parallelism 5 --update-delay 0s --update-order
 *       stop-first}): from the apply (or update) until the daemon runs the full count of containers
 *       of the service and none of those that ran before;</li>
 *   <li>self-heal: from {@code docker kill} of one container until the service has its full count
 *       running again without the killed one (median of {@code --kills} kills);</li>
 *   <li>agent overhead: 20 containers through Wharf vs 20 sequential {@code docker run -d};</li>
 *   <li>the agent's idle footprint with 50 instances: CPU time over {@code --idle} seconds and RSS.</li>
 * </ol>
 *
 * <p>All three sides get the same limits: memory 16 MiB, no CPU quota, stop signal SIGKILL (busybox
 * {@code sleep} as PID 1 ignores SIGTERM, so every stop would otherwise wait the 10 s grace). (A CPU request such as
 * {@code 10m} becomes a CFS quota of 1 ms per 100 ms, which throttles even the container's start
 * by about a second; Swarm and {@code docker run} set none by default.)
 *
 * <p>The control plane (embedded store) runs in this JVM; the agent is a separate JVM
 * ({@code wharf agent --docker-host ...}) so its footprint is its own. Both sides are measured
 * the same way: by polling the Engine API for running containers carrying the side's label.
 * Every wait is bounded; a bound that passes is reported as a timeout, not a figure.
 *
 * <p>Arguments: {@code --replicas N} (50), {@code --overhead N} (20), {@code --kills N} (3),
 * {@code --idle SECONDS} (30), {@code --timeout SECONDS} (180) per wait, {@code --restart-delay D}
 * (e.g. {@code 0s}: the same restart delay on both sides; by default each keeps its own, Wharf 1 s
 * and Swarm 5 s, which dominate the self-heal figures).
 */
public final class AgentBench {
    private static final String WHARF_LABEL = "wharf.managed=true";
    private static final String SWARM_LABEL = "com.docker.swarm.service.name=benchsleep";
    private static final String PEER_LABEL = "bench.peer=run";
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int ROLL_PARALLELISM = 5;

    private final int replicas;
    private final int overhead;
    private final int kills;
    private final Duration idle;
    private final Duration timeout;
    /** Restart delay given to both Wharf ({@code restart.delay}) and Swarm ({@code --restart-delay}); null keeps each one's default. */
    private final String restartDelay;
    /** Which sides run ({@code --phases wharf,run,swarm}; all by default): a one-sided run is for finding where time goes. */
    private final java.util.Set<String> phases;
    /** The agent's bound on task starts at once ({@code --start-parallelism}, default the agent's 8). */
    private final int startParallelism;
    /** Name -> figure, in report order; a figure is seconds, or a note (timeout, failure). */
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private AgentBench(Map<String, String> args) {
        replicas = Integer.parseInt(args.getOrDefault("--replicas", "50"));
        overhead = Integer.parseInt(args.getOrDefault("--overhead", "20"));
        kills = Integer.parseInt(args.getOrDefault("--kills", "3"));
        idle = Duration.ofSeconds(Long.parseLong(args.getOrDefault("--idle", "30")));
        timeout = Duration.ofSeconds(Long.parseLong(args.getOrDefault("--timeout", "180")));
        restartDelay = args.get("--restart-delay");
        startParallelism = Integer.parseInt(args.getOrDefault("--start-parallelism", "8"));
        phases = java.util.Set.of(args.getOrDefault("--phases", "wharf,run,swarm").split(","));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) args.put(argv[i], argv[i + 1]);
        new AgentBench(args).run();
    }

    private void run() throws Exception {
        System.out.printf("AgentBench  %s  cores=%d  load=%s  restart delay=%s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), loadAverage(),
                restartDelay == null ? "defaults (Wharf 250ms, Swarm 5s)" : restartDelay + " on both");
        System.out.println("agent start parallelism " + startParallelism);
        try (var dockerd = DockerdFixture.started()) {
            String image = dockerd.busyboxImage();
            var docker = new DockerEngine(dockerd.socket(), dockerd.apiVersion());
            System.out.println("dockerd " + dockerd.host() + " API " + dockerd.apiVersion() + ", image " + image);
            Path work = Files.createTempDirectory("wharf-agentbench-");
            if (phases.contains("wharf")) try {
                wharf(docker, image, dockerd.host(), work);
            } catch (RuntimeException e) {
                notes.add("Wharf phases failed: " + e + " (agent log kept: " + work.resolve("agent/agent.log") + ")");
                e.printStackTrace();
                work = null;
            }
            if (work != null) deleteTree(work);
            docker.removeAll();
            if (phases.contains("run")) try {
                dockerRun(docker, image);
            } catch (RuntimeException e) {
                notes.add("docker run phase failed: " + e);
            }
            docker.removeAll();
            if (phases.contains("swarm")) try {
                swarm(docker, image);
            } catch (RuntimeException e) {
                notes.add("Swarm phases failed: " + e.getMessage());
            }
            docker.removeAll();
        }
        report();
    }

    // ---- Wharf -------------------------------------------------------------------------------

    private void wharf(DockerEngine docker, String image, String dockerHost, Path work) throws Exception {
        try (var store = EmbeddedStore.open(work.resolve("store"));
             var server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
             var client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
             var agent = AgentProcess.start(server.apiAddress(), dockerHost, work.resolve("agent"), timeout,
                     startParallelism)) {
            System.out.println("agent pid " + agent.pid() + ", drivers: " + agent.drivers());

            long e0 = epochNanos();
            long t0 = System.nanoTime();
            client.apply(stack("benchsleep", replicas, image), WharfClient.YAML, OptionalLong.empty());
            record("wharf.up", awaitCount(docker, WHARF_LABEL, replicas, t0));
            upSummary(docker, e0);
            instanceSummary(client, e0);

            List<String> before = docker.running(WHARF_LABEL);
            e0 = epochNanos();
            t0 = System.nanoTime();
            client.apply(stack("benchsleep", replicas, image).replace("\"3600\"", "\"3601\""), WharfClient.YAML,
                    OptionalLong.empty());
            record("wharf.roll", awaitReplaced(docker, WHARF_LABEL, replicas, before, t0));
            upSummary(docker, e0);

            record("wharf.heal", heal(docker, WHARF_LABEL, replicas));

            // Idle footprint: let the last restart settle, then sample the agent over the window.
            awaitFor(Duration.ofSeconds(5));
            long cpu0 = agent.cpuTicks();
            long w0 = System.nanoTime();
            awaitFor(idle);
            double cpuSeconds = (agent.cpuTicks() - cpu0) / 100.0;
            double wall = (System.nanoTime() - w0) / 1e9;
            results.put("agent.idle.cpu", cpuSeconds);
            results.put("agent.idle.cpuPct", 100.0 * cpuSeconds / wall);
            results.put("agent.idle.rssMiB", agent.rssKiB() / 1024.0);
            results.put("agent.idle.running", docker.running(WHARF_LABEL).size());

            client.delete("services", "default", "benchsleep");
            Object drained = awaitCount(docker, WHARF_LABEL, 0, System.nanoTime());
            results.put("wharf.drain", drained);
            docker.removeAll();

            t0 = System.nanoTime();
            client.apply(stack("benchtwenty", overhead, image), WharfClient.YAML, OptionalLong.empty());
            record("wharf.overhead", awaitCount(docker, WHARF_LABEL, overhead, t0));
            client.delete("services", "default", "benchtwenty");
            awaitCount(docker, WHARF_LABEL, 0, System.nanoTime());
        }
    }

    private String stack(String service, int count, String image) {
        String restart = restartDelay == null ? "" : "    restart: {delay: " + restartDelay + "}\n";
        return """
            stack: %s
            namespace: default
            services:
              %s:
                replicas: %d
                image: %s
                network: host
                command: [sleep, "3600"]
                stopSignal: SIGKILL
                resources: {cpu: 0m, memory: 16Mi}
                update: {parallelism: %d, maxSurge: 0, minHealthyTime: 0s}
            %s""".formatted(service, service, count, image, ROLL_PARALLELISM, restart);
    }

    // ---- peers -------------------------------------------------------------------------------

    private void dockerRun(DockerEngine docker, String image) {
        long t0 = System.nanoTime();
        for (int i = 0; i < overhead; i++) {
            docker.cli("run", "-d", "--network", "host", "--memory", "16m", "--label", PEER_LABEL, image, "sleep", "3600");
        }
        record("run.overhead", awaitCount(docker, PEER_LABEL, overhead, t0));
    }

    private void swarm(DockerEngine docker, String image) throws IOException {
        int port;
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try {
            docker.cli("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:" + port);
        } catch (RuntimeException e) {
            notes.add("Swarm unavailable: " + e.getMessage());
            return;
        }
        try {
            long e0 = epochNanos();
            long t0 = System.nanoTime();
            List<String> create = new ArrayList<>(List.of("service", "create", "--detach", "--name", "benchsleep",
                    "--replicas", String.valueOf(replicas), "--network", "host", "--limit-memory", "16M",
                    "--stop-signal", "SIGKILL"));
            if (restartDelay != null) create.addAll(List.of("--restart-delay", restartDelay));
            create.addAll(List.of(image, "sleep", "3600"));
            docker.cli(create.toArray(String[]::new));
            record("swarm.up", awaitCount(docker, SWARM_LABEL, replicas, t0));
            upSummary(docker, e0);
            System.out.println("  docker service ls: " + docker.cli("service", "ls", "--format", "{{.Name}} {{.Replicas}}").trim());
            List<String> before = docker.running(SWARM_LABEL);
            e0 = epochNanos();
            t0 = System.nanoTime();
            docker.cli("service", "update", "--detach", "--force", "--update-parallelism", String.valueOf(ROLL_PARALLELISM),
                    "--update-delay", "0s", "--update-order", "stop-first", "benchsleep");
            record("swarm.roll", awaitReplaced(docker, SWARM_LABEL, replicas, before, t0));
            upSummary(docker, e0);
            record("swarm.heal", heal(docker, SWARM_LABEL, replicas));
            docker.cli("service", "rm", "benchsleep");
            awaitCount(docker, SWARM_LABEL, 0, System.nanoTime());
        } finally {
            docker.cli("swarm", "leave", "--force");
        }
    }

    // ---- measuring ---------------------------------------------------------------------------

    /**
     * Kills one running container of the label {@code kills} times; each time, seconds from the
     * kill until {@code count} containers run again and the killed one is not among them as it was
     * (gone, or started again later). Returns the median, or a timeout note.
     */
    private Object heal(DockerEngine docker, String label, int count) {
        List<Double> times = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            awaitFor(Duration.ofSeconds(2));
            List<String> before = docker.running(label);
            if (before.isEmpty()) return "nothing running";
            String victim = before.get(before.size() / 2);
            String startedAt = docker.startedAt(victim);
            long killedAtEpochNanos = Instant.now().getEpochSecond() * 1_000_000_000L + Instant.now().getNano();
            long t0 = System.nanoTime();
            docker.kill(victim);
            boolean ok = awaitTrue(() -> {
                List<String> now = docker.running(label);
                if (now.size() < count) return false;
                return !new HashSet<>(now).contains(victim) || !startedAt.equals(docker.startedAt(victim));
            });
            if (!ok) return "timeout after " + timeout.toSeconds() + " s";
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  %s heal %d: %.3f s%n", label, k + 1, s);
            times.add(s);
            if (k == kills - 1) timeline(docker, killedAtEpochNanos);
        }
        times.sort(Double::compare);
        return times.get(times.size() / 2);
    }

    /** Where the last heal's time went: the daemon's container events after the kill, in ms from it. */
    private static void timeline(DockerEngine docker, long killedAtEpochNanos) {
        String since = (killedAtEpochNanos / 1_000_000_000L) + "." + "%09d".formatted(killedAtEpochNanos % 1_000_000_000L);
        String until = "%.3f".formatted(System.currentTimeMillis() / 1000.0 + 0.5);
        try {
            String out = docker.cli("events", "--since", since, "--until", until, "--filter", "type=container",
                    "--format", "{{.TimeNano}} {{.Action}} {{.Actor.Attributes.name}}");
            for (String line : out.strip().split("\n")) {
                String[] f = line.split(" ", 3);
                if (f.length < 3 || f[1].startsWith("exec_")) continue;
                System.out.printf("    +%6.0f ms  %-10s %s%n", (Long.parseLong(f[0]) - killedAtEpochNanos) / 1e6, f[1], f[2]);
            }
        } catch (RuntimeException e) {
            System.out.println("    (no event timeline: " + e.getMessage() + ")");
        }
    }

    /** Where an up phase's time went: first and last container create and start, in ms from {@code fromEpochNanos}. */
    private static void upSummary(DockerEngine docker, long fromEpochNanos) {
        String since = (fromEpochNanos / 1_000_000_000L) + "." + "%09d".formatted(fromEpochNanos % 1_000_000_000L);
        String until = "%.3f".formatted(System.currentTimeMillis() / 1000.0 + 0.5);
        try {
            String out = docker.cli("events", "--since", since, "--until", until, "--filter", "type=container",
                    "--filter", "event=create", "--filter", "event=start", "--format", "{{.TimeNano}} {{.Action}}");
            Map<String, long[]> span = new LinkedHashMap<>();
            for (String line : out.strip().split("\n")) {
                String[] f = line.split(" ");
                if (f.length < 2) continue;
                long ms = (Long.parseLong(f[0]) - fromEpochNanos) / 1_000_000;
                long[] s = span.computeIfAbsent(f[1], k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
                s[0] = Math.min(s[0], ms);
                s[1] = Math.max(s[1], ms);
                s[2]++;
            }
            span.forEach((action, s) -> System.out.printf("    %-6s x%d: first +%d ms, last +%d ms%n", action, s[2], s[0], s[1]));
        } catch (RuntimeException e) {
            System.out.println("    (no event summary: " + e.getMessage() + ")");
        }
    }

    /** When the server created the instances (metadata.createdAt), in ms from {@code fromEpochNanos}: the server's share of "up". */
    private static void instanceSummary(WharfClient client, long fromEpochNanos) {
        try {
            List<Long> ms = new ArrayList<>();
            for (var i : client.listAll("instances", io.wharf.client.ListOptions.inNamespace("default"))) {
                Instant at = Instant.parse(i.path("metadata").path("createdAt").asText());
                ms.add((at.getEpochSecond() * 1_000_000_000L + at.getNano() - fromEpochNanos) / 1_000_000);
            }
            ms.sort(Long::compare);
            if (!ms.isEmpty()) System.out.printf("    instances x%d created: first +%d ms, last +%d ms%n", ms.size(), ms.getFirst(), ms.getLast());
        } catch (RuntimeException e) {
            System.out.println("    (no instance summary: " + e.getMessage() + ")");
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Seconds from {@code t0} until exactly {@code count} containers with the label run; or a timeout note. */
    private Object awaitCount(DockerEngine docker, String label, int count, long t0) {
        int[] last = {-1};
        boolean ok = awaitTrue(() -> (last[0] = docker.running(label).size()) == count);
        if (!ok) return "timeout after " + timeout.toSeconds() + " s (" + last[0] + "/" + count + ")";
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds from {@code t0} until exactly {@code count} containers with the label run and none of {@code before}. */
    private Object awaitReplaced(DockerEngine docker, String label, int count, List<String> before, long t0) {
        java.util.Set<String> old = new HashSet<>(before);
        int[] last = {-1, -1};
        boolean ok = awaitTrue(() -> {
            List<String> now = docker.running(label);
            last[0] = now.size();
            last[1] = (int) now.stream().filter(old::contains).count();
            return last[0] == count && last[1] == 0;
        });
        if (!ok) return "timeout after " + timeout.toSeconds() + " s (" + last[0] + " running, " + last[1] + " old)";
        return (System.nanoTime() - t0) / 1e9;
    }

    private boolean awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            // Poll interval of a bounded wait (the deadline bounds it); cheap Engine API calls.
            LockSupport.parkNanos(POLL.toNanos());
        }
        return false;
    }

    /** A deliberate pause (an idle window, a settle time): not waiting for a condition. */
    private static void awaitFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) LockSupport.parkNanos(end - System.nanoTime());
    }

    private void record(String name, Object figure) {
        results.put(name, figure);
        System.out.println("  " + name + ": " + (figure instanceof Double d ? "%.3f s".formatted(d) : figure));
    }

    // ---- report ------------------------------------------------------------------------------

    private void report() {
        System.out.println();
        System.out.printf("%-44s %12s %12s %8s %s%n", "measurement", "Wharf", "peer", "ratio", "target");
        row("50 replicas apply -> all running (s)".replace("50", String.valueOf(replicas)),
                "wharf.up", "swarm.up", "<= 0.5x Swarm");
        row("rolling update, parallel " + ROLL_PARALLELISM + ", no health wait (s)", "wharf.roll", "swarm.roll",
                "<= 0.5x Swarm");
        row("self-heal, docker kill -> replaced (s, median)", "wharf.heal", "swarm.heal", "<= 0.2x Swarm");
        row(overhead + " containers: Wharf vs docker run -d (s)", "wharf.overhead", "run.overhead", "<= 1.25x");
        System.out.printf("%-44s %12s%n", "agent idle CPU over " + idle.toSeconds() + " s (s)", fmt(results.get("agent.idle.cpu")));
        System.out.printf("%-44s %12s%n", "agent idle CPU (% of one core)", fmt(results.get("agent.idle.cpuPct")));
        System.out.printf("%-44s %12s%n", "agent RSS (MiB)", fmt(results.get("agent.idle.rssMiB")));
        System.out.printf("%-44s %12s%n", "instances running during idle window", results.getOrDefault("agent.idle.running", "-"));
        System.out.println("peer: Swarm (rows 1-2) and sequential docker run -d (row 3); load after run: " + loadAverage());
        for (String n : notes) System.out.println("NOTE: " + n);
    }

    private void row(String label, String mine, String peer, String target) {
        Object a = results.get(mine);
        Object b = results.get(peer);
        String ratio = a instanceof Double x && b instanceof Double y && y > 0 ? "%.2fx".formatted(x / y) : "-";
        System.out.printf("%-44s %12s %12s %8s %s%n", label, fmt(a), fmt(b), ratio, target);
        if (a != null && !(a instanceof Double)) System.out.println("  Wharf: " + a);
        if (b != null && !(b instanceof Double)) System.out.println("  peer: " + b);
    }

    private static String fmt(Object o) {
        if (o == null) return "-";
        if (o instanceof Double d) return "%.3f".formatted(d);
        return o instanceof Number ? o.toString() : "n/a";
    }

    /** Best effort: the store and agent data of a finished run; leftovers are reclaimed with /tmp. */
    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            System.out.println("(could not delete " + dir + ": " + e + ")");
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
