package io.wharf.server.auth.login;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow salted password hashes: PBKDF2-HMAC-SHA256 from the JDK, {@value #DEFAULT_ITERATIONS}
 * iterations (OWASP's 2023 figure), 16-byte random salt, 32-byte hash. The stored form carries
 * its parameters — {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64, no padding) — so
 * the defaults can rise without breaking stored hashes; {@link #outdated} tells when a hash
 * should be redone at the next successful login. Comparison is constant-time. Thread-safe.
 */
public final class PasswordHasher {
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** The fewest iterations a stored hash may claim; anything below is refused as tampered. */
  public static final int MIN_ITERATIONS = 1_000;
  static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;

  public PasswordHasher() {
    this(DEFAULT_ITERATIONS);
  }

  /** Fewer iterations only for tests that hash many times; stored hashes keep their own count. */
  public PasswordHasher(int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be at least " + MIN_ITERATIONS + ", got " + iterations);
    }
    this.iterations = iterations;
  }

  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(derive(password, salt, iterations, HASH_BYTES));
  }

  /** Whether {@code password} matches {@code stored}; false for a stored form it cannot read. */
  public boolean verify(char[] password, String stored) {
    Parsed p = parse(stored);
    if (p == null) {
      return false;
    }
    return MessageDigest.isEqual(derive(password, p.salt(), p.iterations(), p.hash().length), p.hash());
  }

  /** Burns the time of one verification, for logins of users without a password (no timing tell). */
  public void verifyNothing(char[] password) {
    derive(password, new byte[SALT_BYTES], iterations, HASH_BYTES);
  }

  /** Whether {@code stored} was made with weaker parameters than this hasher's. */
  public boolean outdated(String stored) {
    Parsed p = parse(stored);
    return p == null || p.iterations() < iterations;
  }

  private record Parsed(int iterations, byte[] salt, byte[] hash) {}

  private static Parsed parse(String stored) {
    if (stored == null) {
      return null;
    }
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return null;
    }
    try {
      int n = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      if (n < MIN_ITERATIONS || salt.length < 8 || hash.length < 16) {
        return null;
      }
      return new Parsed(n, salt, hash);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e.getMessage(), e);
    } finally {
      spec.clearPassword();
    }
  }
}
