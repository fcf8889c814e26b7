package io.wharf.server.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a server's keyring comes from, read again on {@link #load()} (at start, on
 * {@code rotate-key}, and when a stored value names a key the ring lacks, so a key added to the
 * file is picked up without a restart). Thread-safe.
 */
public final class KeySource {
  /** The environment variable that may hold the keyring's text form. */
  public static final String ENV = "WHARF_SECRETS_KEY";
  /** The key file {@code wharf dev} and {@code wharf server} make in their data directory. */
  public static final String DEFAULT_FILE = "secrets.key";

  private final String description;
  private final Supplier<SecretKeyring> loader;

  private KeySource(String description, Supplier<SecretKeyring> loader) {
    this.description = Objects.requireNonNull(description, "description");
    this.loader = loader;
  }

  /** A key file (re-read on every load). */
  public static KeySource file(Path file) {
    return new KeySource("key file " + file, () -> {
      try {
        return SecretKeyring.parse(Files.readAllBytes(file), "key file " + file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " " + e.getMessage()));
      }
    });
  }

  /** The text of {@value #ENV} (fixed for the process's life). */
  public static KeySource environment(String text) {
    SecretKeyring ring = SecretKeyring.parse(text.getBytes(StandardCharsets.UTF_8), ENV);
    return new KeySource(ENV, () -> ring);
  }

  /** A keyring held in memory only (tests, benchmarks). */
  public static KeySource fixed(SecretKeyring ring) {
    return new KeySource("in-memory keyring", () -> ring);
  }

  /**
   * The key file in {@code dataDir}, made with one new random key (mode 0600) when it does not
   * exist yet. Two processes racing to make it end up with the same file.
   */
  public static KeySource generatedIn(Path dataDir) throws IOException {
    Path file = dataDir.resolve(DEFAULT_FILE);
    if (!Files.exists(file)) {
      Files.createDirectories(dataDir);
      Path temp = Files.createTempFile(dataDir, DEFAULT_FILE, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, "# wharf secrets keyring: the first key seals, the others only open (docs/operations.md)\n"
            + SecretKeyring.keyLine(SecretKeyring.randomKey()), StandardCharsets.US_ASCII, StandardOpenOption.SYNC);
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException raced) {
        // another process made it first: use theirs
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return file(file);
  }

  /** Reads the keyring. @throws IllegalArgumentException when the source holds no valid keyring */
  public SecretKeyring load() {
    return loader.get();
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
