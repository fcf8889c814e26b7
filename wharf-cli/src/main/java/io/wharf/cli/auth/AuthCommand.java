package io.wharf.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.AuthApi;
import io.wharf.client.WharfClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wharf auth rotate-keys|jwks}: the cluster's token signing keys. */
@Command(name = "auth", description = "The token signing keys: rotate them, show the public ones (JWKS).",
    synopsisSubcommandLabel = "COMMAND")
public final class AuthCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static CommandLine command(Main root) {
    CommandLine auth = new CommandLine(new AuthCommand());
    auth.addSubcommand(new RotateKeys(root));
    auth.addSubcommand(new Jwks(root));
    return auth;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: rotate-keys or jwks");
  }

  @Command(name = "rotate-keys", description = {"Make a new signing key: new tokens are signed with it; tokens",
      "signed by the previous key stay valid until they expire."})
  static final class RotateKeys implements Callable<Integer> {
    private final Main root;

    RotateKeys(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      JsonNode answer;
      try (WharfClient api = root.client()) {
        answer = new AuthApi(api).rotateKeys();
      }
      root.environment().out().println("New signing key " + answer.path("kid").asText()
          + "; tokens signed by the previous key stay valid for up to " + answer.path("previousKeysValidFor").asText()
          + ".");
      return ExitCode.OK.code();
    }
  }

  @Command(name = "jwks", description = "Print the public signing keys as a JWKS document (for JWT checks elsewhere).")
  static final class Jwks implements Callable<Integer> {
    private final Main root;

    Jwks(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() throws Exception {
      try (WharfClient api = root.client()) {
        JsonNode jwks = new AuthApi(api).jwks();
        root.environment().out().println(api.json().writerWithDefaultPrettyPrinter().writeValueAsString(jwks));
      }
      return ExitCode.OK.code();
    }
  }
}
