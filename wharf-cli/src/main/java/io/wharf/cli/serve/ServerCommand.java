package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.server.ControlPlane;
import io.wharf.server.tls.TlsOptions;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf server}: a control-plane server on the embedded store (one server) or on an
 * etcd cluster (several servers share it). Prints {@code API: URL} once serving and runs until
 * SIGINT/SIGTERM.
 */
@Command(name = "server", description = "Run a control-plane server (embedded store or etcd).",
    footer = {"", "Examples:", "  wharf server --store embedded --data-dir /var/lib/wharf",
        "  wharf server --store etcd://10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379 --port 7070",
        "  wharf server --store etcd --etcd-endpoints http://127.0.0.1:2379 --port 7070",
        "", "Several servers on one etcd elect one leader, which runs the controllers; every server",
        "serves the API (see docs/operations.md).",
        "", "The API is HTTPS: at first start the server makes the cluster CA (kept in the store, shared by",
        "every server) and its own certificate in DIR/tls/; hand DIR/tls/ca.crt to the CLI (--ca-cert) and",
        "join agents with 'wharf node join-token create'."})
public final class ServerCommand implements Callable<Integer> {

  /** Which store backend the server runs on. */
  public enum StoreKind { EMBEDDED, ETCD }

  private final Main root;

  @Option(names = "--store", paramLabel = "STORE",
      description = "embedded (default), etcd (with --etcd-endpoints), or etcd://HOST:PORT[,HOST:PORT...].")
  String store = "embedded";

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Embedded store directory, and tls/ with the certificates (default: ./" + DevCommand.DEFAULT_DATA_DIR
          + "; with etcd only tls/ lives there).")
  Path dataDir;

  @Option(names = "--etcd-endpoints", paramLabel = "URL", split = ",",
      description = "etcd client URLs, comma-separated (--store etcd).")
  List<String> etcdEndpoints = new ArrayList<>();

  @Option(names = "--etcd-prefix", paramLabel = "PREFIX",
      description = "Key prefix in etcd, so clusters can share one etcd (default: none).")
  String etcdPrefix = "";

  @Option(names = "--port", paramLabel = "N", description = "API port (default: 7070; 0: free).")
  int port = 7070;

  @Option(names = "--bind", paramLabel = "HOST", description = "Address (default: 127.0.0.1).")
  String bind = "127.0.0.1";

  @Option(names = "--leader-ttl", paramLabel = "SECONDS",
      description = "Leader lease TTL: how long a dead leader delays takeover (default: 10).")
  int leaderTtl = (int) ControlPlane.Tuning.LEADER_TTL.toSeconds();

  @Option(names = "--node-ttl", paramLabel = "SECONDS",
      description = "Node lease TTL: a node missing heartbeats this long is down (default: 15).")
  int nodeTtl = (int) ControlPlane.Tuning.NODE_TTL.toSeconds();

  @picocli.CommandLine.Mixin
  AuditOptions audit = new AuditOptions();

  @picocli.CommandLine.Mixin
  SecretsKeyOption secretsKey = new SecretsKeyOption();

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "This server's certificate (PEM, may hold the chain) instead of a generated one; needs --tls-key and --tls-ca.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The key of --tls-cert (PEM).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "The cluster CA certificate (PEM) instead of the generated one kept in the store.")
  Path tlsCa;

  @Option(names = "--tls-ca-key", paramLabel = "FILE",
      description = "The key of --tls-ca, so this server can sign node and server certificates (agents join).")
  Path tlsCaKey;

  @Option(names = "--tls-san", paramLabel = "NAME", split = ",",
      description = "Extra name or IP in the generated server certificate (repeat or comma-separate).")
  List<String> tlsSans = new ArrayList<>();

  @Option(names = "--tls-server-cert-lifetime", paramLabel = "DURATION", hidden = true,
      description = "Lifetime of the generated server certificate (default: 365d; at least 10s); the running "
          + "server renews it at two thirds. For tests of renewal.")
  String tlsServerCertLifetime;

  @Option(names = "--insecure-http",
      description = "Serve plain HTTP without TLS. Only for test harnesses on loopback; refused with another --bind.")
  boolean insecureHttp;

  @Option(names = "--token-ttl", paramLabel = "DURATION",
      description = "Lifetime of a token from `wharf login` that asks for none (default: 1h).")
  String tokenTtl = "1h";

  @Option(names = "--token-max-ttl", paramLabel = "DURATION",
      description = "Longest lifetime of any signed token; rotated-out signing keys verify this long (default: 12h).")
  String tokenMaxTtl = "12h";

  public ServerCommand(Main root) {
    this.root = root;
  }

  /** The login settings of {@code --token-ttl} and {@code --token-max-ttl}; a usage error names the bad one. */
  static io.wharf.server.auth.login.LoginAssembly.Settings loginSettings(String ttl, String maxTtl) {
    java.time.Duration lifetime = io.wharf.model.quantity.Durations.parse(ttl).orElseThrow(
        () -> CliException.usage("--token-ttl must be a duration like 1h, got \"" + ttl + "\""));
    java.time.Duration cap = io.wharf.model.quantity.Durations.parse(maxTtl).orElseThrow(
        () -> CliException.usage("--token-max-ttl must be a duration like 12h, got \"" + maxTtl + "\""));
    try {
      return new io.wharf.server.auth.login.LoginAssembly.Settings(lifetime, cap,
          io.wharf.server.auth.login.PasswordHasher.DEFAULT_ITERATIONS);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--token-ttl/--token-max-ttl: " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port must be within 0..65535, got " + port);
    }
    if (leaderTtl < 1 || nodeTtl < 1) {
      throw CliException.usage("--leader-ttl and --node-ttl must be at least 1 second");
    }
    io.wharf.server.audit.AuditSettings auditSettings = audit.settings();
    io.wharf.server.auth.login.LoginAssembly.Settings login = loginSettings(tokenTtl, tokenMaxTtl);
    ControlPlane.Tuning tuning = ControlPlane.Tuning.DEFAULTS.withLeaderTtl(java.time.Duration.ofSeconds(leaderTtl))
        .withNodeTtl(java.time.Duration.ofSeconds(nodeTtl));
    if (insecureHttp && !isLoopback(bind)) {
      throw CliException.usage("--insecure-http is only for loopback test harnesses; --bind " + bind
          + " is not a loopback address");
    }
    if (insecureHttp && (tlsCert != null || tlsKey != null || tlsCa != null || tlsCaKey != null || !tlsSans.isEmpty()
        || tlsServerCertLifetime != null)) {
      throw CliException.usage("--insecure-http and --tls-* options exclude each other");
    }
    String kind = store.strip().toLowerCase(java.util.Locale.ROOT);
    if (kind.startsWith("etcd://")) {
      if (!etcdEndpoints.isEmpty()) {
        throw CliException.usage("give the etcd endpoints either in --store etcd://... or in --etcd-endpoints, not both");
      }
      for (String hostPort : store.strip().substring("etcd://".length()).split(",", -1)) {
        if (hostPort.isBlank() || hostPort.contains("/")) {
          throw CliException.usage("--store etcd://HOST:PORT[,HOST:PORT...]: bad endpoint \"" + hostPort + "\"");
        }
        etcdEndpoints.add("http://" + hostPort.strip());
      }
      kind = "etcd";
    }
    StoreKind storeKind = switch (kind) {
      case "embedded" -> StoreKind.EMBEDDED;
      case "etcd" -> StoreKind.ETCD;
      default -> throw CliException.usage("--store must be embedded, etcd or etcd://HOST:PORT[,HOST:PORT...], got \""
          + store + "\"");
    };
    RunningControlPlane running = switch (storeKind) {
      case EMBEDDED -> {
        if (!etcdEndpoints.isEmpty()) {
          throw CliException.usage("--etcd-endpoints needs --store etcd");
        }
        Path dir = dataDirectory();
        yield RunningControlPlane.start(() -> DevCommand.openStore(dir),
            "embedded store in " + dir,
            RunningControlPlane.settings(root.environment(), bind, port, "embedded").withLogin(login).withTls(tls(dir)),
            tuning,
            secretsKey.sealer(root.environment(), dir), auditSettings);
      }
      case ETCD -> {
        if (etcdEndpoints.isEmpty()) {
          throw CliException.usage("--store etcd needs --etcd-endpoints URL[,URL...]");
        }
        EtcdStoreOptions options;
        try {
          options = EtcdStoreOptions.of(etcdEndpoints.toArray(String[]::new))
              .withRoot(etcdPrefix);
        } catch (IllegalArgumentException e) {
          throw CliException.usage(e.getMessage());
        }
        io.wharf.server.secrets.SecretSealer sealer = secretsKey.sealer(root.environment(), null);
        yield RunningControlPlane.start(() -> EtcdStore.connect(options),
            "etcd at " + options.endpointList(),
            RunningControlPlane.settings(root.environment(), bind, port, "etcd").withLogin(login)
                .withTls(tls(dataDirectory())), tuning, sealer, auditSettings);
      }
    };
    PrintStream out = root.environment().out();
    // Before the API line, which scripts wait for: once they see it, the token and CA lines are there too.
    running.bootstrapLine(root.environment()).ifPresent(out::println);
    running.controlPlane().tls().ifPresent(t -> out.println("CA: " + t.caFile() + " (" + t.caFingerprint() + ")"));
    out.println("API: " + running.controlPlane().apiAddress());
    out.flush();
    running.awaitClosed();
    return ExitCode.OK.code();
  }

  private Path dataDirectory() {
    return root.environment().workingDirectory()
        .resolve(dataDir != null ? dataDir : Path.of(DevCommand.DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
  }

  /** Where the TLS material comes from; null with --insecure-http. */
  private TlsOptions tls(Path dir) {
    if (insecureHttp) {
      return null;
    }
    Path cwd = root.environment().workingDirectory();
    java.time.Duration lifetime = tlsServerCertLifetime == null ? null
        : io.wharf.model.quantity.Durations.parse(tlsServerCertLifetime).orElseThrow(() -> CliException.usage(
            "--tls-server-cert-lifetime must be a duration like 90d, got \"" + tlsServerCertLifetime + "\""));
    try {
      return new TlsOptions(dir, resolve(cwd, tlsCert), resolve(cwd, tlsKey), resolve(cwd, tlsCa),
          resolve(cwd, tlsCaKey), tlsSans.stream().map(String::strip).filter(s -> !s.isEmpty()).toList(), lifetime);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private static Path resolve(Path cwd, Path file) {
    return file == null ? null : cwd.resolve(file).toAbsolutePath().normalize();
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("::1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
