package io.wharf.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import io.wharf.cli.ExitCode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code $WHARF_HOME/credentials.json} ({@code WHARF_HOME} defaults to {@code $HOME/.wharf}):
 * {@code {"address": URL, "token": TOKEN, ...}}, written with mode 0600 by {@code wharf dev} on its
 * first start and by {@code wharf login}, so the CLI on the same machine reaches the server without
 * flags. Other lanes' fields ({@code caCertificate}) are kept.
 */
public record CredentialsFile(String address, String token) {
  public static final String HOME_VARIABLE = "WHARF_HOME";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The directory: {@code $WHARF_HOME}, else {@code $HOME/.wharf}; empty when neither is set. */
  public static Optional<Path> home(Environment env) {
    String home = env.variable(HOME_VARIABLE);
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home));
    }
    String user = env.variable("HOME");
    return user == null || user.isBlank() ? Optional.empty() : Optional.of(Path.of(user, ".wharf"));
  }

  public static Optional<Path> path(Environment env) {
    return home(env).map(h -> h.resolve("credentials.json"));
  }

  /** The file's contents; empty when there is none. A file that cannot be read is an error naming it. */
  public static Optional<CredentialsFile> read(Environment env) {
    Optional<Path> path = path(env);
    if (path.isEmpty() || !Files.isRegularFile(path.get())) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(path.get().toFile());
      return Optional.of(new CredentialsFile(n.path("address").asText(null), n.path("token").asText(null)));
    } catch (IOException e) {
      throw new CliException(ExitCode.ERROR, "cannot read " + path.get() + ": " + e.getMessage());
    }
  }

  /**
   * Sets {@code address} and {@code token} in the file (its other fields stay; {@code wharf dev}
   * on its first start, {@code wharf login}), written to a temporary file of mode 0600 and moved
   * into place; creates the directory (0700) when missing. Returns the file.
   */
  public static Path write(Environment env, String address, String token) {
    Path path = path(env).orElseThrow(() -> new CliException(ExitCode.ERROR,
        "cannot write credentials: neither WHARF_HOME nor HOME is set"));
    try {
      Path dir = path.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      // Other fields (the CA certificate of a TLS cluster, ...) stay.
      ObjectNode body = JSON.createObjectNode();
      if (Files.isRegularFile(path)) {
        try {
          if (JSON.readTree(path.toFile()) instanceof ObjectNode existing) {
            body = existing;
          }
        } catch (IOException unreadable) {
          // replaced below
        }
      }
      body.put("address", address).put("token", token);
      Path temp = dir.resolve(".credentials.json." + ProcessHandle.current().pid());
      Files.deleteIfExists(temp);
      try {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        throw new IOException("temporary file " + temp + " appeared meanwhile", e);
      }
      Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
      try {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      return path;
    } catch (IOException e) {
      throw new CliException(ExitCode.ERROR, "cannot write " + path + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "CredentialsFile[address=" + address + ", token=" + (token == null ? "none" : "(set)") + "]";
  }
}
