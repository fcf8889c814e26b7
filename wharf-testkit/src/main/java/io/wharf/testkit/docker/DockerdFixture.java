package io.wharf.testkit.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Docker Engine: its own {@code dockerd} (and the containerd it spawns) on a socket,
 * data root, exec root and pid file under a fresh temporary directory, so it never sees or
 * disturbs another daemon's containers. Host networking is left alone: {@code --bridge=none},
 * {@code --iptables=false}, {@code --ip6tables=false}; containers use host networking and bind
 * 127.0.0.1 themselves.
 *
 * <p>{@link #withPrivateBridge()} gives the daemon a bridge network of its own instead: a Linux
 * bridge {@code wdk<hex>} the fixture creates with a private /24 of 10.213.0.0/16 that no other
 * interface of the host uses, handed to dockerd with {@code --bridge} (still no iptables rules,
 * no masquerading: nothing is routed off the host). Published ports go through Docker's userland
 * proxy ({@code docker-proxy}), listening on the host IP the container asks for (127.0.0.1 in
 * tests) and forwarding over the bridge. The bridge is deleted on {@link #close()}. Creating it
 * needs {@code /usr/sbin/ip} (or {@value #IP_PROPERTY}) and CAP_NET_ADMIN.
 *
 * <p>Use as a JUnit extension ({@code @RegisterExtension static final DockerdFixture docker =
 * new DockerdFixture();}) or as an {@link AutoCloseable}. {@link #busyboxImage()} imports a
 * busybox image built from the host's static busybox.
 *
 * <p>dockerd must run as root. When it is missing or the JVM is not root, starting fails if
 * system property {@value #REQUIRE_EXTERNAL} is {@code "true"} (CI) and aborts the test as
 * skipped otherwise. The binary is {@code /usr/sbin/dockerd} or system property
 * {@value #BINARY_PROPERTY}; busybox is {@code /usr/bin/busybox} or {@value #BUSYBOX_PROPERTY}.
 *
 * <p>Thread safety: lifecycle methods are serialized by a lock.
 */
public final class DockerdFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String REQUIRE_EXTERNAL = "wharf.requireExternal";
    public static final String BINARY_PROPERTY = "wharf.dockerd.binary";
    public static final String BUSYBOX_PROPERTY = "wharf.busybox.binary";
    public static final String IP_PROPERTY = "wharf.ip.binary";
    /** The tag of the image {@link #busyboxImage()} imports. */
    public static final String BUSYBOX_IMAGE = "wharf-test/busybox:latest";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(20);
    private static final Pattern API_VERSION = Pattern.compile("\"ApiVersion\"\\s*:\\s*\"([0-9.]+)\"");

    private final ReentrantLock lock = new ReentrantLock();
    private Path root;
    private Process process;
    private String apiVersion;
    private boolean busyboxImported;
    private Thread shutdownHook;
    private final boolean privateBridge;
    private String bridgeName;
    private String bridgeSubnet;

    /** A daemon without a bridge network: containers use host networking. */
    public DockerdFixture() { this(false); }

    private DockerdFixture(boolean privateBridge) { this.privateBridge = privateBridge; }

    /** A daemon whose default {@code bridge} network is a private bridge of its own (see the class comment). */
    public static DockerdFixture withPrivateBridge() { return new DockerdFixture(true); }

    public static DockerdFixture started() {
        var f = new DockerdFixture();
        f.start();
        return f;
    }

    /** Starts dockerd and waits until {@code /_ping} answers OK. Does nothing if already running. */
    public void start() {
        lock.lock();
        try {
            if (process != null && process.isAlive()) return;
            Path binary = require(Path.of(System.getProperty(BINARY_PROPERTY, "/usr/sbin/dockerd")), "dockerd");
            if (!"root".equals(System.getProperty("user.name"))) {
                missing("dockerd needs root; this JVM runs as " + System.getProperty("user.name"));
            }
            // Short path: a Unix socket path must stay under 108 bytes.
            root = Files.createTempDirectory(Path.of("/tmp"), "wdk-");
            if (privateBridge) createBridge();
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "-H", "unix://" + socket(),
                    "--data-root", root.resolve("data").toString(),
                    "--exec-root", root.resolve("exec").toString(),
                    "--pidfile", root.resolve("docker.pid").toString(),
                    "--bridge=" + (privateBridge ? bridgeName : "none"),
                    "--iptables=false", "--ip6tables=false", "--ip-masq=false",
                    "--log-level=warn"));
            if (privateBridge) command.add("--userland-proxy=true");
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("dockerd.log").toFile())).start();
            if (shutdownHook == null) {
                shutdownHook = new Thread(() -> {
                    if (process != null) process.destroyForcibly();
                    deleteBridge();
                }, "dockerd-fixture-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dockerd", e);
        } finally {
            lock.unlock();
        }
    }

    /** The daemon's Unix socket. */
    public Path socket() { return root.resolve("docker.sock"); }

    /** {@code unix:///tmp/.../docker.sock}, for clients and {@code DOCKER_HOST}. */
    public String host() { return "unix://" + socket(); }

    /** The highest API version the daemon speaks, e.g. {@code 1.41}; clients should pin it. */
    public String apiVersion() { return apiVersion; }

    public Path root() { return root; }

    /** The private bridge's interface name ({@code wdk...}); null for a daemon without one. */
    public String bridgeName() { return bridgeName; }

    /** The private bridge's subnet, e.g. {@code 10.213.7.0/24}; null for a daemon without one. */
    public String bridgeSubnet() { return bridgeSubnet; }

    /**
     * Creates the Linux bridge for {@link #withPrivateBridge()}: a random name, and the first /24
     * of 10.213.0.0/16 (from a random start) that no interface of the host has an address in.
     */
    private void createBridge() throws IOException {
        Path ip = require(Path.of(System.getProperty(IP_PROPERTY, "/usr/sbin/ip")), "ip (iproute2)");
        String addresses = run(List.of(ip.toString(), "-o", "-4", "addr", "show"));
        var random = java.util.concurrent.ThreadLocalRandom.current();
        int start = random.nextInt(1, 255);
        String name = "wdk" + Integer.toHexString(random.nextInt(0x100000, 0xFFFFFF));
        for (int i = 0; i < 254; i++) {
            int third = 1 + (start - 1 + i) % 254;
            String prefix = "10.213." + third + ".";
            if (addresses.contains(" " + prefix)) continue;
            String created = runStatus(List.of(ip.toString(), "link", "add", name, "type", "bridge"));
            if (created != null) missing("cannot create a bridge (needs CAP_NET_ADMIN): " + created);
            bridgeName = name;
            String addr = runStatus(List.of(ip.toString(), "addr", "add", prefix + "1/24", "dev", name));
            String up = addr != null ? addr : runStatus(List.of(ip.toString(), "link", "set", name, "up"));
            if (up != null) {
                deleteBridge();
                throw new IllegalStateException("cannot set up bridge " + name + ": " + up);
            }
            bridgeSubnet = prefix + "0/24";
            return;
        }
        throw new IllegalStateException("no free /24 in 10.213.0.0/16 for a private bridge");
    }

    private void deleteBridge() {
        String name = bridgeName;
        if (name == null) return;
        runStatus(List.of(System.getProperty(IP_PROPERTY, "/usr/sbin/ip"), "link", "del", name));
        bridgeName = null;
        bridgeSubnet = null;
    }

    /** Runs a short command; its output, or a failure when it exits non-zero. */
    private static String run(List<String> command) throws IOException {
        String problem = null;
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            else if (p.exitValue() != 0) problem = String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        if (problem != null) throw new IllegalStateException(problem);
        return out;
    }

    /** Runs a short command; null when it succeeded, else what went wrong. */
    private static String runStatus(List<String> command) {
        try {
            run(command);
            return null;
        } catch (IOException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * Imports (once) an image {@value #BUSYBOX_IMAGE} whose root filesystem is the host's static
     * busybox with a symlink per applet in {@code /bin}, plus {@code /tmp} and {@code /etc/passwd}.
     */
    public String busyboxImage() {
        lock.lock();
        try {
            if (busyboxImported) return BUSYBOX_IMAGE;
            Path busybox = require(Path.of(System.getProperty(BUSYBOX_PROPERTY, "/usr/bin/busybox")), "busybox");
            Path rootfs = Files.createDirectories(root.resolve("busybox-rootfs"));
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(busybox, bin.resolve("busybox"));
            bin.resolve("busybox").toFile().setExecutable(true, false);
            Process list = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
            String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            list.waitFor();
            for (String applet : applets.split("\n")) {
                applet = applet.trim();
                if (applet.isEmpty() || applet.equals("busybox") || applet.contains("/")) continue;
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Files.createDirectories(rootfs.resolve("tmp"));
            Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            Path tar = root.resolve("busybox-rootfs.tar");
            Process tarring = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
                    .redirectErrorStream(true).start();
            String tarOutput = new String(tarring.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tarring.waitFor() != 0) throw new IllegalStateException("tar of busybox rootfs failed: " + tarOutput);
            String repo = BUSYBOX_IMAGE.substring(0, BUSYBOX_IMAGE.indexOf(':'));
            String tag = BUSYBOX_IMAGE.substring(BUSYBOX_IMAGE.indexOf(':') + 1);
            UnixHttp.Response r = UnixHttp.postFile(socket(),
                    "/v" + apiVersion + "/images/create?fromSrc=-&repo=" + repo + "&tag=" + tag, tar);
            if (r.status() != 200 || r.body().contains("\"error\"")) {
                throw new IllegalStateException("docker import failed: " + r.status() + " " + r.body());
            }
            busyboxImported = true;
            return BUSYBOX_IMAGE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build busybox image", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    /** The last lines of dockerd's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(root.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no dockerd log)";
        }
    }

    /** Stops dockerd (SIGTERM, SIGKILL after a grace period) and deletes its directories. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly().waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // JVM shutting down; the hook runs anyway
                }
                shutdownHook = null;
            }
            deleteBridge();
            if (root != null) {
                unmountUnder(root);
                deleteTree(root);
                root = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** dockerd leaves mounts behind (its default network namespace under the exec root); lazily unmount them. */
    private static void unmountUnder(Path dir) {
        try {
            List<String> targets = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].startsWith(dir + "/")) targets.add(f[4]);
            }
            targets.sort(Comparator.reverseOrder());
            for (String t : targets) {
                Process umount = new ProcessBuilder("umount", "-l", t).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                umount.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // best effort: the temporary directory stays behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) { start(); }

    @Override
    public void afterAll(ExtensionContext context) { close(); }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dockerd exited with " + process.exitValue() + " before it answered; log:\n" + logTail());
            }
            if (Files.exists(socket())) {
                try {
                    UnixHttp.Response ping = UnixHttp.get(socket(), "/_ping");
                    last = ping.status() + " " + ping.body();
                    if (ping.status() == 200 && ping.body().trim().equals("OK")) {
                        UnixHttp.Response version = UnixHttp.get(socket(), "/version");
                        Matcher m = API_VERSION.matcher(version.body());
                        if (!m.find()) throw new IllegalStateException("no ApiVersion in /version: " + version.body());
                        apiVersion = m.group(1);
                        return;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
            }
            // Poll interval of a bounded wait; the deadline bounds it.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IllegalStateException("dockerd not ready within " + READY_WITHIN + " (last: " + last + "); log:\n" + logTail());
    }

    private static Path require(Path binary, String name) {
        if (!Files.isExecutable(binary)) missing(name + " not found at " + binary);
        return binary;
    }

    private static void missing(String message) {
        if (Boolean.getBoolean(REQUIRE_EXTERNAL)) {
            throw new IllegalStateException(message + "; " + REQUIRE_EXTERNAL + "=true so this is a failure");
        }
        Assumptions.abort(message + "; skipping (set " + REQUIRE_EXTERNAL + "=true to fail instead)");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover mount or busy file: the temp directory is reclaimed with /tmp
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort, as above
        }
    }
}
