package io.wharf.server.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The keys secrets are sealed with: one active key that seals, and older keys kept only to open
 * what they sealed until {@link KeyRotation} has re-sealed it. Immutable and thread-safe.
 *
 * <p>Text form (a key file or {@code WHARF_SECRETS_KEY}): one key per line, the base64 of 32
 * random bytes; the first key is the active one; blank lines and lines starting with {@code #}
 * are ignored. A file of exactly 32 bytes that is not such text is one raw key.
 *
 * <p>Sealing is AES-256-GCM with a fresh random 96-bit nonce per value and a 128-bit tag; the
 * caller's associated data (the secret's identity and entry) is authenticated, so a ciphertext
 * moved to another secret or entry does not open.
 */
public final class SecretKeyring {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKey> keys;
  private final SecretKey active;

  /** {@code keys} in order, the first active. */
  public SecretKeyring(List<SecretKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a keyring needs at least one key");
    }
    Map<String, SecretKey> byId = new LinkedHashMap<>();
    for (SecretKey k : keys) {
      byId.putIfAbsent(k.id(), k);
    }
    this.keys = java.util.Collections.unmodifiableMap(byId);
    this.active = keys.getFirst();
  }

  /** A keyring of one new random key. */
  public static SecretKeyring generate() {
    return new SecretKeyring(List.of(new SecretKey(randomKey())));
  }

  public static byte[] randomKey() {
    byte[] key = new byte[SecretKey.BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** The text of a key file holding {@code key} alone. */
  public static String keyLine(byte[] key) {
    return Base64.getEncoder().encodeToString(key) + "\n";
  }

  /**
   * Reads the text form (or one raw 32-byte key). {@code source} names where it came from in
   * errors, which never quote the contents.
   *
   * @throws IllegalArgumentException naming the source and line that is not a key
   */
  public static SecretKeyring parse(byte[] contents, String source) {
    return parse(contents, source, false);
  }

  /** True when {@code contents} is one raw 32-byte key rather than the text form. */
  public static boolean isRawKey(byte[] contents) {
    try {
      parse(contents, "", true);
      return false;
    } catch (IllegalArgumentException e) {
      return contents.length == SecretKey.BYTES;
    }
  }

  private static SecretKeyring parse(byte[] contents, String source, boolean textOnly) {
    Objects.requireNonNull(contents, "contents");
    String text = new String(contents, StandardCharsets.UTF_8);
    List<SecretKey> keys = new ArrayList<>();
    String problem = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length && problem == null; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(line);
      } catch (IllegalArgumentException e) {
        key = null;
      }
      if (key == null || key.length != SecretKey.BYTES) {
        problem = source + ", line " + (i + 1) + ": not a key (the base64 of " + SecretKey.BYTES + " random bytes)";
      } else {
        keys.add(new SecretKey(key));
      }
    }
    if (problem != null || keys.isEmpty()) {
      if (contents.length == SecretKey.BYTES && !textOnly) {
        return new SecretKeyring(List.of(new SecretKey(contents)));
      }
      throw new IllegalArgumentException(problem != null ? problem
          : source + " holds no key (one base64 key of " + SecretKey.BYTES + " random bytes per line)");
    }
    return new SecretKeyring(keys);
  }

  public String activeId() {
    return active.id();
  }

  /** Every key id, the active one first. */
  public List<String> ids() {
    return List.copyOf(keys.keySet());
  }

  public boolean has(String keyId) {
    return keys.containsKey(keyId);
  }

  /** Seals {@code plaintext} with the active key, binding {@code associatedData}. */
  public Envelope seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, active.spec(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new Envelope(active.id(), nonce, cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Opens an envelope sealed for {@code associatedData}.
   *
   * @throws UnreadableSecretException when the key is not in this ring, or the ciphertext,
   *     nonce or associated data were altered
   */
  public String open(Envelope envelope, String associatedData) {
    SecretKey key = keys.get(envelope.keyId());
    if (key == null) {
      throw new UnreadableSecretException("it was sealed with key " + envelope.keyId()
          + ", which is not in the keyring (" + String.join(", ", keys.keySet()) + ")");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, envelope.nonce()));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(envelope.ciphertext()), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new UnreadableSecretException("its ciphertext does not authenticate under key " + envelope.keyId()
          + " (altered, or moved from another secret)");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UnreadableSecretException("it cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "SecretKeyring[active=" + active.id() + ", keys=" + keys.keySet() + "]";
  }
}
