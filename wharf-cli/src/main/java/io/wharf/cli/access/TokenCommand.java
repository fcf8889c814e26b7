package io.wharf.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.cli.output.Table;
import io.wharf.client.AuthApi;
import io.wharf.client.WharfClient;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf token create|ls|revoke}: long-lived API tokens, shown once, stored hashed. */
@Command(name = "token", description = "Create, list and revoke API tokens.", synopsisSubcommandLabel = "COMMAND")
public final class TokenCommand implements Callable<Integer> {

  public static CommandLine command(Main root) {
    CommandLine token = new CommandLine(new TokenCommand());
    token.addSubcommand(new Create(root));
    token.addSubcommand(new Ls(root));
    token.addSubcommand(new Revoke(root));
    return token;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command: create, ls or revoke");
  }

  /** The table of {@code wharf token ls}. Pure. */
  public static Table table(List<JsonNode> tokens, Instant now) {
    Table table = new Table("ID", "PRINCIPAL", "DESCRIPTION", "CREATED", "LAST USED", "EXPIRES", "STATUS");
    for (JsonNode t : tokens) {
      String expires = t.path("expires").asText(null);
      String status = !t.path("revoked").isNull() && t.hasNonNull("revoked") ? "revoked"
          : expires != null && !Instant.parse(expires).isAfter(now) ? "expired" : "active";
      table.add(t.path("id").asText(), t.path("principal").asText(), t.path("description").asText("-"),
          ago(t.path("created").asText(null), now), ago(t.path("lastUsed").asText(null), now),
          expires == null ? "never" : expires, status);
    }
    return table;
  }

  private static String ago(String time, Instant now) {
    return time == null || time.equals("null") ? "never" : Age.since(time, now) + " ago";
  }

  @Command(name = "create", description = {"Create a token and print it (the only time it is shown).",
      "For another principal you must hold every permission it has; a node or service principal is created."})
  static final class Create implements Callable<Integer> {
    private final Main root;

    @Option(names = "--principal", paramLabel = "ID",
        description = "Whose token: user:NAME, service:NS/NAME or node:NAME (default: yourself).")
    String principal;

    @Option(names = "--expires", paramLabel = "WHEN", description = "A duration (30d, 12h) or a time (2027-01-31T00:00:00Z).")
    String expires;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
    String description;

    Create(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        AuthApi auth = new AuthApi(api);
        ObjectNode request = auth.object();
        if (principal != null) {
          request.put("principal", Grants.principal(principal));
        }
        if (expires != null) {
          request.put("expires", expires);
        }
        if (description != null) {
          request.put("description", description);
        }
        JsonNode created = auth.createToken(request);
        root.environment().out().println(created.path("token").asText());
        root.environment().err().println("Token " + created.path("id").asText() + " of "
            + created.path("principal").asText() + (created.hasNonNull("expires")
                ? ", expires " + created.path("expires").asText() : ", never expires")
            + ". It is shown this once; keep it safe.");
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "ls", description = "List tokens: created, last used, expiry, status (never the tokens themselves).")
  static final class Ls implements Callable<Integer> {
    private final Main root;

    @Option(names = "--principal", paramLabel = "ID", description = "Only this principal's tokens.")
    String principal;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml.")
    OutputFormat output = OutputFormat.TABLE;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        List<JsonNode> tokens = new AuthApi(api).tokens(principal == null ? null : Grants.principal(principal));
        if (output != OutputFormat.TABLE) {
          root.environment().out().print(new Documents().render(api.json().valueToTree(tokens), output));
        } else if (tokens.isEmpty()) {
          root.environment().err().println("No tokens.");
        } else {
          root.environment().out().print(table(tokens, root.environment().clock().instant()).render());
        }
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "revoke", description = "Revoke a token: the next call with it is refused (401), on every server.")
  static final class Revoke implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (wharf token ls).")
    String id;

    Revoke(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        JsonNode revoked = new AuthApi(api).revokeToken(id);
        root.environment().out().println("Revoked token " + revoked.path("id").asText() + " of "
            + revoked.path("principal").asText() + ".");
        return ExitCode.OK.code();
      }
    }
  }
}
