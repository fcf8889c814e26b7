package io.wharf.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Table;
import io.wharf.client.AuthApi;
import io.wharf.client.WharfClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf user create|ls|rm}: user principals. Services and nodes are principals too; they
 * appear (with {@code --all}) once a token was made for them ({@code wharf token create --principal}).
 */
@Command(name = "user", description = "Create, list and remove users; set their password and TOTP.",
    synopsisSubcommandLabel = "COMMAND")
public final class UserCommand implements Callable<Integer> {

  public static CommandLine command(Main root) {
    CommandLine user = new CommandLine(new UserCommand());
    user.addSubcommand(new Create(root));
    user.addSubcommand(new Ls(root));
    user.addSubcommand(new Rm(root));
    return user;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command: create, ls, rm, passwd or totp");
  }

  /** The table of {@code wharf user ls}. Pure. */
  public static Table table(List<JsonNode> principals) {
    Table table = new Table("PRINCIPAL", "ROLES", "RULES", "CREATED BY");
    for (JsonNode p : principals) {
      table.add(p.path("id").asText(), Grants.join(p.path("roles")), Grants.rules(p.path("rules")),
          p.path("createdBy").asText("-"));
    }
    return table;
  }

  @Command(name = "create", description = {"Create a user, optionally with roles and rules",
      "(you must hold everything you grant). Passwords are set with wharf login's tools."})
  static final class Create implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", description = "A role to hold (repeatable): admin, viewer, node or a custom one.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--rule", paramLabel = "NS:KINDS:VERBS", description = "An allow rule (repeatable), e.g. dev:*:*.")
    List<String> rules = new ArrayList<>();

    Create(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        AuthApi auth = new AuthApi(api);
        JsonNode created = auth.createPrincipal(Grants.principal(name), Grants.body(auth.object(), roles, rules));
        root.environment().out().println("Created " + created.path("id").asText() + ".");
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "ls", description = "List users (with --all: every principal).")
  static final class Ls implements Callable<Integer> {
    private final Main root;

    @Option(names = "--all", description = "Services and nodes too.")
    boolean all;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        List<JsonNode> principals = new AuthApi(api).principals().stream()
            .filter(p -> all || p.path("id").asText().startsWith("user:")).toList();
        root.environment().out().print(table(principals).render());
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "rm", description = "Remove a user (or any principal by id) and every token of it.")
  static final class Rm implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    Rm(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        JsonNode removed = new AuthApi(api).deletePrincipal(Grants.principal(name));
        root.environment().out().println("Removed " + removed.path("id").asText() + " and its tokens.");
        return ExitCode.OK.code();
      }
    }
  }
}
