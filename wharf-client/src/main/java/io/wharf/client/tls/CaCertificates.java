package io.wharf.client.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** PEM certificates in and out, and the {@code sha256:HEX} fingerprint a join token names the CA by. */
public final class CaCertificates {
  private static final String FINGERPRINT_PREFIX = "sha256:";

  private CaCertificates() {
  }

  /** Every certificate of a PEM file; a clear {@link IllegalArgumentException} naming the file when there is none. */
  public static List<X509Certificate> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA certificate " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(new String(bytes, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Every certificate of PEM text. */
  public static List<X509Certificate> parse(String pem) {
    try {
      var certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> all = certificates.stream().map(X509Certificate.class::cast).toList();
      if (all.isEmpty()) {
        throw new IllegalArgumentException("no PEM certificate found");
      }
      return all;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate (" + e.getMessage() + ")", e);
    }
  }

  public static String toPem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code sha256:} and the lowercase hex SHA-256 of the certificate's DER encoding: what
   * {@code openssl x509 -noout -fingerprint -sha256} prints (without the colons).
   */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return FINGERPRINT_PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A fingerprint as users type it: {@code sha256:HEX}, hex in either case, colons allowed;
   * returns the canonical form, or throws naming what is wrong.
   */
  public static String parseFingerprint(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (!t.startsWith(FINGERPRINT_PREFIX)) {
      throw new IllegalArgumentException("a CA fingerprint is sha256:<64 hex digits>, got \"" + text + "\"");
    }
    String hex = t.substring(FINGERPRINT_PREFIX.length()).replace(":", "");
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a CA fingerprint is sha256:<64 hex digits>, got \"" + text + "\"");
    }
    return FINGERPRINT_PREFIX + hex;
  }
}
