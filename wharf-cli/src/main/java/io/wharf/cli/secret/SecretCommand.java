package io.wharf.cli.secret;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.WharfClient;
import io.wharf.server.secrets.SecretKeyring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf secret add-key FILE} puts a new random key first in a key file (the server's own,
 * on its machine); {@code wharf secret rotate-key} makes the server read its keyring again and
 * re-seal every secret with the active key, after which older keys may leave the file.
 */
@Command(name = "secret", description = "Rotate the keys that seal secrets at rest.", synopsisSubcommandLabel = "COMMAND")
public final class SecretCommand implements Callable<Integer> {
  /** The {@code secret} command with its subcommands, for {@link Main} to register. */
  public static picocli.CommandLine command(Main root) {
    picocli.CommandLine secret = new picocli.CommandLine(new SecretCommand());
    secret.addSubcommand(new RotateKey(root));
    secret.addSubcommand(new AddKey(root));
    return secret;
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: rotate-key or add-key");
  }

  @Command(name = "rotate-key", description = {"Reload the server's secrets keyring and re-seal every secret with",
      "its active key (the first in the key file); afterwards older keys may be removed."})
  static final class RotateKey implements Callable<Integer> {
    private final Main root;

    RotateKey(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        JsonNode answer = api.rotateSecretKey();
        java.util.List<String> keys = new java.util.ArrayList<>();
        answer.path("keys").forEach(k -> keys.add(k.asText()));
        root.environment().out().println("Active key " + answer.path("activeKey").asText() + ": re-sealed "
            + answer.path("resealed").asInt() + " secrets, " + answer.path("unchanged").asInt()
            + " already sealed with it. Keys in the ring: " + String.join(", ", keys) + ".");
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "add-key", description = {"Put a new random key first in a secrets key file (mode 0600), keeping",
      "the others; then run `wharf secret rotate-key`. Run it where the file lives."})
  static final class AddKey implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "KEY-FILE")
    Path file;

    AddKey(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      Path target = root.environment().workingDirectory().resolve(file).toAbsolutePath().normalize();
      try {
        byte[] old = Files.exists(target) ? Files.readAllBytes(target) : new byte[0];
        if (old.length > 0) {
          SecretKeyring.parse(old, "key file " + target); // refuse to build on a broken file
        }
        byte[] key = SecretKeyring.randomKey();
        String oldText = new String(old, StandardCharsets.UTF_8);
        if (SecretKeyring.isRawKey(old)) {
          oldText = SecretKeyring.keyLine(old); // a raw key becomes a line
        }
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, SecretKeyring.keyLine(key) + oldText, StandardCharsets.US_ASCII);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String id = new io.wharf.server.secrets.SecretKey(key).id();
        root.environment().out().println("Added key " + id + " first in " + target
            + "; run `wharf secret rotate-key` to re-seal every secret with it.");
        return ExitCode.OK.code();
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.ERROR, e.getMessage());
      } catch (IOException e) {
        throw new CliException(ExitCode.ERROR, "cannot write " + target + ": " + e.getMessage());
      }
    }
  }
}
