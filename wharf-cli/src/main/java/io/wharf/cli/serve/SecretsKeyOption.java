package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import io.wharf.server.secrets.KeySource;
import io.wharf.server.secrets.SecretSealer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Where {@code wharf dev} and {@code wharf server} take the keyring that seals secrets:
 * {@code --secrets-key-file}, else {@value KeySource#ENV}, else the key file
 * {@value KeySource#DEFAULT_FILE} in the data directory, made (mode 0600, one random key) at
 * first start. A server on etcd has no data directory of its own: it must be given the key,
 * the same on every server.
 */
public final class SecretsKeyOption {
  private static final Logger log = LoggerFactory.getLogger(SecretsKeyOption.class);

  @Option(names = "--secrets-key-file", paramLabel = "FILE",
      description = "Keyring sealing secrets: base64 keys of 32 random bytes, one per line, the first active "
          + "(default: $" + KeySource.ENV + ", else DATA-DIR/" + KeySource.DEFAULT_FILE + ", made at first start).")
  Path keyFile;

  /**
   * The sealer for a server whose data directory is {@code dataDir} (null on etcd).
   *
   * @throws CliException when no key is given where one is needed, or the key is unreadable
   */
  SecretSealer sealer(Environment env, Path dataDir) {
    KeySource source;
    try {
      if (keyFile != null) {
        Path file = env.workingDirectory().resolve(keyFile).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
          throw CliException.usage("--secrets-key-file " + file + ": no such file");
        }
        source = KeySource.file(file);
      } else if (env.variable(KeySource.ENV) != null && !env.variable(KeySource.ENV).isBlank()) {
        source = KeySource.environment(env.variable(KeySource.ENV));
      } else if (dataDir != null) {
        boolean existed = Files.exists(dataDir.resolve(KeySource.DEFAULT_FILE));
        source = KeySource.generatedIn(dataDir);
        if (!existed) {
          log.info("made the secrets key file {} (mode 0600): back it up with the data directory; without it "
              + "the secrets stored there cannot be read", dataDir.resolve(KeySource.DEFAULT_FILE));
        }
      } else {
        throw CliException.usage("a server on etcd needs the secrets key: --secrets-key-file FILE or "
            + KeySource.ENV + " (the same keyring on every server)");
      }
      SecretSealer sealer = new SecretSealer(source);
      log.info("secrets are sealed with key {} from {}", sealer.keyring().activeId(), source.description());
      return sealer;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (IOException e) {
      throw new CliException(io.wharf.cli.ExitCode.ERROR, "cannot make the secrets key file in " + dataDir + ": "
          + e.getMessage());
    }
  }
}
