package io.wharf.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.AuthApi;
import io.wharf.client.WharfClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf policy show [PRINCIPAL]} (yourself when none) and {@code wharf policy set PRINCIPAL
 * --role ... --rule ...} (replaces what the principal holds; you must hold all of it).
 */
@Command(name = "policy", description = "Show or set what a principal may do.", synopsisSubcommandLabel = "COMMAND")
public final class PolicyCommand implements Callable<Integer> {

  public static CommandLine command(Main root) {
    CommandLine policy = new CommandLine(new PolicyCommand());
    policy.addSubcommand(new Show(root));
    policy.addSubcommand(new Set(root));
    return policy;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command: show or set");
  }

  static void print(PrintStream out, JsonNode p, String idField) {
    out.println("Principal: " + p.path(idField).asText());
    out.println("Roles: " + Grants.join(p.path("roles")));
    out.println("Rules:");
    if (p.path("rules").isEmpty()) {
      out.println("  (none: everything is denied)");
    }
    for (JsonNode r : p.path("rules")) {
      out.println("  " + Grants.rule(r));
    }
  }

  @Command(name = "show", description = {"A principal's roles and own rules; without PRINCIPAL, who you are",
      "and every rule you hold (your roles' included)."})
  static final class Show implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PRINCIPAL")
    String principal;

    Show(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        AuthApi auth = new AuthApi(api);
        if (principal == null) {
          print(root.environment().out(), auth.whoami(), "principal");
        } else {
          print(root.environment().out(), auth.principal(Grants.principal(principal)), "id");
        }
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "set", description = {"Replace a principal's roles and rules (deny by default: what is not",
      "allowed is denied). Example: wharf policy set alice --role viewer --rule 'dev:*:*'"})
  static final class Set implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "PRINCIPAL")
    String principal;

    @Option(names = "--role", paramLabel = "ROLE", description = "A role to hold (repeatable).")
    List<String> roles = new ArrayList<>();

    @Option(names = "--rule", paramLabel = "NS:KINDS:VERBS", description = "An allow rule (repeatable).")
    List<String> rules = new ArrayList<>();

    Set(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        AuthApi auth = new AuthApi(api);
        JsonNode updated = auth.setGrants(Grants.principal(principal), Grants.body(auth.object(), roles, rules));
        print(root.environment().out(), updated, "id");
        return ExitCode.OK.code();
      }
    }
  }
}
