package io.wharf.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.ApiException;
import io.wharf.client.AuthApi;
import io.wharf.client.WharfClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf login}: user name, password and (when enrolled) a TOTP code for a short-lived
 * signed token, saved in the credentials file ({@link CredentialsFile}). On a terminal it asks for
 * what the flags do not give; without one, {@code --user} and {@code --password-stdin} are needed.
 */
@Command(name = "login", description = {"Log in with user name, password and TOTP code; saves a short-lived token",
    "in $WHARF_HOME/credentials.json (default ~/.wharf). Asks on a terminal for what is not given."})
public final class LoginCommand implements Callable<Integer> {
  private final Main root;

  @Option(names = {"-u", "--user"}, paramLabel = "NAME", description = "User name (asked on a terminal when not given).")
  String user;

  @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
  boolean passwordStdin;

  @Option(names = "--totp", paramLabel = "CODE",
      description = "The current 6-digit code of your authenticator app (asked on a terminal when not given).")
  String totp;

  @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the token lives, e.g. 30m (default: the server's, 1h).")
  String ttl;

  public LoginCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    var env = root.environment();
    String name = user != null ? user : SecretInput.ask(env, "User: ", false)
        .filter(s -> !s.isBlank()).map(String::strip)
        .orElseThrow(() -> CliException.usage("no user name: pass --user (there is no terminal to ask on)"));
    String password = passwordStdin ? SecretInput.firstLine(env, "password")
        : SecretInput.ask(env, "Password for " + name + ": ", true).filter(s -> !s.isEmpty())
            .orElseThrow(() -> CliException.usage("no password: pass --password-stdin (there is no terminal to ask on)"));
    String code = totp;
    if (code == null && env.terminal().interactive()) {
      code = env.terminal().prompter().ask("TOTP code (empty if you have none): ").map(String::strip)
          .filter(s -> !s.isEmpty()).orElse(null);
    }
    JsonNode answer;
    try (WharfClient api = root.client()) {
      answer = new AuthApi(api).login(name, password, code, ttl);
    } catch (ApiException e) {
      if (e.status() == 401 || e.status() == 429) {
        throw new CliException(ExitCode.ERROR, "login refused: " + e.serverMessage());
      }
      throw e;
    }
    // The address too: the CLI sends the file's token only to the server it names.
    Path file = io.wharf.cli.access.CredentialsFile.write(env, root.clientSettings().baseUrl().toString(),
        answer.path("token").asText());
    env.out().println("Logged in as " + answer.path("principal").asText() + " until "
        + answer.path("expiresAt").asText() + "; token saved in " + file + ".");
    return ExitCode.OK.code();
  }
}
