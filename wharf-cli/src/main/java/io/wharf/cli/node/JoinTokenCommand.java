package io.wharf.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Table;
import io.wharf.client.JoinApi;
import io.wharf.client.WharfClient;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf node join-token create|ls|revoke}: the tokens agents join an HTTPS cluster with.
 * A token is single-use and expires; it is printed once, with the command an agent joins with.
 */
@Command(name = "join-token", description = "Create, list and revoke the tokens agents join the cluster with.",
    synopsisSubcommandLabel = "COMMAND")
public final class JoinTokenCommand implements Callable<Integer> {

  /** The {@code join-token} command with its subcommands. */
  static picocli.CommandLine command(Main root) {
    picocli.CommandLine cmd = new picocli.CommandLine(new JoinTokenCommand());
    cmd.addSubcommand(new Create(root));
    cmd.addSubcommand(new Ls(root));
    cmd.addSubcommand(new Revoke(root));
    return cmd;
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "missing command: create, ls or revoke");
  }

  @Command(name = "create", description = {"Create a join token: single-use, valid for --ttl (default 24h, at most 168h).",
      "The token is shown once; only its hash is kept."},
      footer = {"", "Example:", "  wharf node join-token create --ttl 1h"})
  static final class Create implements Callable<Integer> {
    private final Main root;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the token may be used (default: 24h).")
    String ttl;

    Create(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        JsonNode created = new JoinApi(api).createToken(ttl);
        PrintStream out = root.environment().out();
        out.println("Join token: " + created.path("token").asText());
        out.println("CA hash:    " + created.path("caCertHash").asText());
        out.println("Expires:    " + created.path("expires").asText() + " (single use)");
        out.println();
        out.println("Join an agent with:");
        out.println("  wharf agent --server " + api.baseUrl() + " --join-token " + created.path("token").asText()
            + " --ca-cert-hash " + created.path("caCertHash").asText());
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "ls", description = "List join tokens: id, created, expiry, the node that used it (never the secret).")
  static final class Ls implements Callable<Integer> {
    private final Main root;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        List<JsonNode> tokens = new JoinApi(api).listTokens();
        if (tokens.isEmpty()) {
          root.environment().err().println("No join tokens.");
          return ExitCode.OK.code();
        }
        Table table = new Table("ID", "CREATED", "EXPIRES", "USED BY", "CREATED BY");
        for (JsonNode t : tokens) {
          table.add(t.path("id").asText(), t.path("created").asText(), t.path("expires").asText(),
              t.path("usedBy").isNull() || t.path("usedBy").isMissingNode() ? "-" : t.path("usedBy").asText(),
              t.path("createdBy").asText("-"));
        }
        root.environment().out().print(table.render());
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "revoke", description = "Delete a join token so nobody can join with it.")
  static final class Revoke implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (the part before the dot).")
    String id;

    Revoke(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        new JoinApi(api).revokeToken(id.contains(".") ? id.substring(0, id.indexOf('.')) : id);
        root.environment().out().println("join token " + id + " revoked");
        return ExitCode.OK.code();
      }
    }
  }
}
