package io.wharf.server.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key. Its id is derived from the key itself ({@code k-} and the first 8 bytes of
 * the SHA-256 of "wharf-secret-key:" + key, in hex), so a key file needs no names and the same
 * key has the same id on every server. {@link #toString()} never shows the key.
 */
public final class SecretKey {
  public static final int BYTES = 32;

  private final String id;
  private final SecretKeySpec spec;

  public SecretKey(byte[] material) {
    Objects.requireNonNull(material, "material");
    if (material.length != BYTES) {
      throw new IllegalArgumentException("a secrets key is " + BYTES + " bytes, got " + material.length);
    }
    this.spec = new SecretKeySpec(material.clone(), "AES");
    this.id = idOf(material);
  }

  public String id() {
    return id;
  }

  SecretKeySpec spec() {
    return spec;
  }

  private static String idOf(byte[] material) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("wharf-secret-key:".getBytes(StandardCharsets.US_ASCII));
      byte[] digest = sha.digest(material);
      return "k-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SecretKey[" + id + "]";
  }
}
