package io.wharf.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.CliException;
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

/** {@code wharf role ls|create|rm}: the built-in roles and custom ones (bundles of allow rules). */
@Command(name = "role", description = "List, create and remove roles.", synopsisSubcommandLabel = "COMMAND")
public final class RoleCommand implements Callable<Integer> {

  public static CommandLine command(Main root) {
    CommandLine role = new CommandLine(new RoleCommand());
    role.addSubcommand(new Ls(root));
    role.addSubcommand(new Create(root));
    role.addSubcommand(new Rm(root));
    return role;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command: ls, create or rm");
  }

  @Command(name = "ls", description = "List roles and their rules.")
  static final class Ls implements Callable<Integer> {
    private final Main root;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        Table table = new Table("ROLE", "BUILT IN", "RULES");
        for (JsonNode r : new AuthApi(api).roles()) {
          table.add(r.path("name").asText(), r.path("builtIn").asBoolean() ? "yes" : "no", Grants.rules(r.path("rules")));
        }
        root.environment().out().print(table.render());
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "create", description = {"Create (or with --replace, change) a role; you must hold every rule you put in it.",
      "Example: wharf role create deployer --rule 'team-*:Stack,Service,Config:get,list,create,update,delete'"})
  static final class Create implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--rule", paramLabel = "NS:KINDS:VERBS", required = true, description = "An allow rule (repeatable).")
    List<String> rules = new ArrayList<>();

    @Option(names = "--replace", description = "Replace the rules of an existing role.")
    boolean replace;

    Create(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        AuthApi auth = new AuthApi(api);
        ObjectNode body = Grants.body(auth.object(), List.of(), rules);
        body.remove("roles");
        body.put("name", name);
        JsonNode role = replace ? auth.replaceRole(name, body) : auth.createRole(body);
        root.environment().out().println((replace ? "Changed" : "Created") + " role " + role.path("name").asText() + ".");
        return ExitCode.OK.code();
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }

  @Command(name = "rm", description = "Remove a custom role (principals holding it lose its rules).")
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
        new AuthApi(api).deleteRole(name);
        root.environment().out().println("Removed role " + name + ".");
        return ExitCode.OK.code();
      }
    }
  }
}
