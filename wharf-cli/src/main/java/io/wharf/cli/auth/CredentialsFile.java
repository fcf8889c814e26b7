package io.wharf.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import io.wharf.cli.ExitCode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The CLI's credentials file, {@code $WHARF_HOME/credentials.json} ({@code ~/.wharf} when
 * WHARF_HOME is unset). {@code wharf login} writes the {@code "token"} field and keeps every other
 * field (the CA certificate, ...). Written to a temporary file with mode 0600 and moved into place,
 * so a reader never sees half a file and nobody else can read the token.
 * TODO(authcore): the authcore lane defines this file and reads the token from it; use its
 * class here once it is on main.
 */
public final class CredentialsFile {
  public static final String HOME_VARIABLE = "WHARF_HOME";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CredentialsFile() {}

  public static Path path(Environment environment) {
    String home = environment.variable(HOME_VARIABLE);
    if (home == null || home.isBlank()) {
      String user = environment.variable("HOME");
      home = (user == null || user.isBlank() ? System.getProperty("user.home") : user) + "/.wharf";
    }
    return Path.of(home).resolve("credentials.json");
  }

  /** Sets {@code "token"} in the file at {@code path}, keeping its other fields. */
  public static void saveToken(Path path, String token) {
    ObjectNode root = JSON.createObjectNode();
    try {
      if (Files.exists(path)) {
        JsonNode existing = JSON.readTree(path.toFile());
        if (existing instanceof ObjectNode object) {
          root = object;
        } else if (existing != null && !existing.isMissingNode()) {
          throw new CliException(ExitCode.ERROR, path + " is not a JSON object; move it away and log in again");
        }
      }
      root.put("token", token);
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".credentials", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
          Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.ERROR, "cannot write " + path + ": " + e.getMessage());
    }
  }
}
