package io.wharf.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.ApiException;
import io.wharf.client.AuthApi;
import io.wharf.client.WharfClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The credential subcommands of {@code wharf user}: {@code passwd NAME} and
 * {@code totp enrol|remove NAME}. The authcore lane owns the {@code user} command itself (create,
 * ls, rm); {@link #addTo} adds these to it.
 */
public final class UserCredentialCommands {
  private UserCredentialCommands() {}

  /** Adds {@code passwd} and {@code totp} to the {@code user} command. */
  public static void addTo(CommandLine user, Main root) {
    user.addSubcommand(new Passwd(root));
    CommandLine totp = new CommandLine(new Totp());
    totp.addSubcommand(new Enrol(root));
    totp.addSubcommand(new Remove(root));
    user.addSubcommand("totp", totp);
  }


  @Command(name = "passwd", description = {"Set a user's password (at least 8 characters).",
      "Asked twice on a terminal, or read from the first line of stdin with --password-stdin."})
  static final class Passwd implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--password-stdin", description = "Read the new password from the first line of stdin.")
    boolean passwordStdin;

    Passwd(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      var env = root.environment();
      String password;
      if (passwordStdin) {
        password = SecretInput.firstLine(env, "password");
      } else {
        password = SecretInput.ask(env, "New password for " + name + ": ", true)
            .orElseThrow(() -> CliException.usage("no password: pass --password-stdin (there is no terminal to ask on)"));
        String again = SecretInput.ask(env, "Again: ", true).orElse("");
        if (!again.equals(password)) {
          throw new CliException(ExitCode.INVALID, "the passwords do not match; nothing was changed");
        }
      }
      try (WharfClient api = root.client()) {
        new AuthApi(api).setPassword(name, password);
      }
      env.out().println("Password of " + name + " set.");
      return ExitCode.OK.code();
    }
  }

  @Command(name = "totp", description = "Enrol a user in TOTP (second factor) or remove the enrolment.",
      synopsisSubcommandLabel = "COMMAND")
  static final class Totp implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing command: enrol or remove");
    }
  }

  @Command(name = "enrol", aliases = "enroll", description = {"Enrol a user in TOTP: prints the secret and the",
      "otpauth:// URI for an authenticator app, this once. From then on `wharf login` needs a code."})
  static final class Enrol implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    Enrol(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      JsonNode answer;
      try (WharfClient api = root.client()) {
        answer = new AuthApi(api).enrolTotp(name);
      } catch (ApiException e) {
        if (e.status() == 409) {
          throw new CliException(ExitCode.CONFLICT, e.serverMessage() + " (wharf user totp remove " + name + ")");
        }
        throw e;
      }
      var out = root.environment().out();
      out.println("TOTP enrolled for " + name + ". Add it to an authenticator app now; it is not shown again.");
      out.println("Secret: " + answer.path("secret").asText());
      out.println("URI:    " + answer.path("uri").asText());
      return ExitCode.OK.code();
    }
  }

  @Command(name = "remove", description = "Remove a user's TOTP enrolment (login then needs only the password).")
  static final class Remove implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    Remove(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        new AuthApi(api).removeTotp(name);
      }
      root.environment().out().println("TOTP enrolment of " + name + " removed.");
      return ExitCode.OK.code();
    }
  }
}
