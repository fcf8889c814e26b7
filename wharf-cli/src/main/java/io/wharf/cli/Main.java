package io.wharf.cli;

import io.wharf.cli.delete.DeleteCommand;
import io.wharf.cli.read.DescribeCommand;
import io.wharf.cli.read.EventsCommand;
import io.wharf.cli.read.GetCommand;
import io.wharf.cli.serve.AgentCommand;
import io.wharf.cli.serve.DevCommand;
import io.wharf.cli.workload.ExecCommand;
import io.wharf.cli.workload.LogsCommand;
import io.wharf.cli.workload.PsCommand;
import io.wharf.cli.serve.ServerCommand;
import io.wharf.cli.stack.ApplyCommand;
import io.wharf.cli.stack.PlanCommand;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code wharf} command: wires every subcommand by hand, owns the options all commands
 * share ({@code --addr}, {@code --debug}) and turns every failure into {@code error: ...} on
 * stderr and an {@link ExitCode} — never a stack trace unless {@code --debug}.
 */
@Command(name = "wharf", mixinStandardHelpOptions = true, versionProvider = WharfVersion.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {"Wharf: deploy, run, discover and route microservices.",
        "Server address: --addr, else $WHARF_ADDR, else $WHARF_HOME/credentials.json, else http://127.0.0.1:7070.",
        "Token: --token, else $WHARF_TOKEN, else $WHARF_HOME/credentials.json (for its address)."},
    footer = {"", "Exit codes: 0 ok, 1 error, 2 usage, 3 invalid input, 4 conflict, 5 aborted."})
public final class Main implements Callable<Integer> {

  public static final String ADDRESS_VARIABLE = "WHARF_ADDR";
  public static final String TOKEN_VARIABLE = "WHARF_TOKEN";

  @Option(names = "--addr", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Server address, or several comma-separated (default: $WHARF_ADDR, else the local one).")
  String address;

  @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "CA certificate (PEM) that https:// servers must chain to (default: $WHARF_CACERT, else "
          + "\"caCertificate\" in $WHARF_HOME/credentials.json).")
  java.nio.file.Path caCertificate;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "API token (default: $WHARF_TOKEN, else the credentials file's).")
  String token;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Show stack traces of failures.")
  boolean debug;

  @Spec
  CommandSpec spec;

  private final Environment environment;

  public Main(Environment environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    // Libraries logging through java.util.logging (gRPC under jetcd) would print INFO lines
    // to stderr; keep them to warnings, as logback.xml does for SLF4J loggers.
    LogManager.getLogManager().getLogger("").setLevel(Level.WARNING);
    int code = run(args, Environment.system());
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line to its exit code; the process is the caller's to end. */
  public static int run(String[] args, Environment environment) {
    return commandLine(environment).execute(args);
  }

  /** The configured command tree, for running and for tests that look at the model. */
  public static CommandLine commandLine(Environment environment) {
    Main root = new Main(environment);
    CommandLine cli = new CommandLine(root);
    cli.addSubcommand(new PlanCommand(root));
    cli.addSubcommand(new ApplyCommand(root));
    cli.addSubcommand(new GetCommand(root));
    cli.addSubcommand(new DescribeCommand(root));
    cli.addSubcommand(new DeleteCommand(root));
    cli.addSubcommand(new EventsCommand(root));
    cli.addSubcommand(new io.wharf.cli.audit.AuditCommand(root));
    cli.addSubcommand(new VersionCommand(root));
    cli.addSubcommand(new DevCommand(root));
    cli.addSubcommand(new CommandLine(new ServerCommand(root))
        .addSubcommand(new io.wharf.cli.cluster.MembersCommand(root)));
    cli.addSubcommand(new AgentCommand(root));
    cli.addSubcommand(new io.wharf.cli.serve.GatewayCommand(root));
    cli.addSubcommand(new io.wharf.cli.serve.DnsCommand(root));
    cli.addSubcommand(new PsCommand(root));
    cli.addSubcommand(new LogsCommand(root));
    cli.addSubcommand(new ExecCommand(root));
    cli.addSubcommand("node", io.wharf.cli.node.NodeCommand.command(root));
    cli.addSubcommand(new io.wharf.cli.node.RebalanceCommand(root));
    cli.addSubcommand("cron", io.wharf.cli.cron.CronCommand.command(root));
    cli.addSubcommand("job", io.wharf.cli.workload.JobCommand.command(root));
    cli.addSubcommand("rollout", io.wharf.cli.rollout.RolloutCommand.command(root));
    cli.addSubcommand("endpoint", io.wharf.cli.discovery.EndpointCommand.command(root));
    cli.addSubcommand("secret", io.wharf.cli.secret.SecretCommand.command(root));
    cli.addSubcommand("token", io.wharf.cli.access.TokenCommand.command(root));
    CommandLine user = io.wharf.cli.access.UserCommand.command(root);
    io.wharf.cli.auth.UserCredentialCommands.addTo(user, root);
    cli.addSubcommand("user", user);
    cli.addSubcommand("role", io.wharf.cli.access.RoleCommand.command(root));
    cli.addSubcommand("policy", io.wharf.cli.access.PolicyCommand.command(root));
    cli.addSubcommand(new io.wharf.cli.auth.LoginCommand(root));
    cli.addSubcommand("auth", io.wharf.cli.auth.AuthCommand.command(root));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    Charset charset = environment.out().charset();
    cli.setOut(new PrintWriter(new OutputStreamWriter(environment.out(), charset), true));
    cli.setErr(new PrintWriter(
        new OutputStreamWriter(environment.err(), environment.err().charset()), true));
    cli.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("error: " + e.getMessage());
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      err.flush();
      return ExitCode.USAGE.code();
    });
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      Failures.Report report = Failures.report(e);
      PrintWriter err = command.getErr();
      err.println("error: " + report.message());
      report.details().forEach(line -> err.println("  " + line));
      if (root.debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return report.exitCode().code();
    });
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.OK.code();
  }

  public Environment environment() {
    return environment;
  }

  /** {@code settings} verifying https:// servers against the configured CA ({@link ServerTrust}). */
  public ClientSettings trusting(ClientSettings settings) {
    return settings.addresses().stream().anyMatch(a -> a.getScheme().equals("https"))
        ? settings.withSslContext(ServerTrust.context(environment, caCertificate)) : settings;
  }

  /** {@code --ca-cert}, null when not given (see {@link ServerTrust}). */
  public java.nio.file.Path caCertificate() {
    return caCertificate;
  }

  public boolean debug() {
    return debug;
  }

  /**
   * The server address: {@code --addr}, else {@code $WHARF_ADDR}, else the credentials file's,
   * else the default; and the token of {@link #token(ClientSettings)}.
   */
  public ClientSettings clientSettings() {
    String chosen = address != null ? address : environment.variable(ADDRESS_VARIABLE);
    ClientSettings settings;
    if (chosen == null || chosen.isBlank()) {
      String saved = io.wharf.cli.access.CredentialsFile.read(environment).map(f -> f.address()).orElse(null);
      settings = saved != null ? ClientSettings.of(saved) : ClientSettings.of(ClientSettings.DEFAULT_ADDRESS);
    } else {
      try {
        settings = ClientSettings.of(chosen);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage()
            + (address != null ? " (from --addr)" : " (from $" + ADDRESS_VARIABLE + ")"));
      }
    }
    return trusting(settings).withToken(token(settings));
  }

  /**
   * The token to send to {@code settings}' servers: {@code --token}, else {@code $WHARF_TOKEN},
   * else the credentials file's when the file names the same address (a token is never sent to a
   * server it was not written for); null when there is none.
   */
  public String token(ClientSettings settings) {
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    String variable = environment.variable(TOKEN_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return variable.strip();
    }
    return io.wharf.cli.access.CredentialsFile.read(environment)
        .filter(f -> f.token() != null && f.address() != null)
        .filter(f -> settings.addresses().contains(ClientSettings.of(f.address()).baseUrl()))
        .map(f -> f.token()).orElse(null);
  }

  /** {@code settings} (from a command's own --server) with the token of {@link #token(ClientSettings)}. */
  public ClientSettings withToken(ClientSettings settings) {
    return settings.withToken(token(settings));
  }

  /** A new client for one command; the caller closes it. */
  public WharfClient client() {
    return new WharfClient(clientSettings());
  }
}
