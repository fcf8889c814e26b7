package io.wharf.cli.e2e;

import io.wharf.server.secrets.SecretKeyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A secrets key file for servers on etcd (which have no data directory to make one in): one per
 * test JVM, shared by every server of a test, as operators share one keyring between servers.
 */
final class SecretsKeyFile {
  private static Path shared;

  private SecretsKeyFile() {}

  static synchronized String shared() {
    if (shared == null) {
      try {
        Path file = Files.createTempFile("wharf-secrets", ".key",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, SecretKeyring.keyLine(SecretKeyring.randomKey()));
        file.toFile().deleteOnExit();
        shared = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared.toString();
  }
}
