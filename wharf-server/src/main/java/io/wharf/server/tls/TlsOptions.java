package io.wharf.server.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a server gets its TLS material. With no files given, the cluster CA comes from the store
 * (made at first start) and the server certificate from {@code directory} (issued at first start,
 * re-issued when it no longer names every SAN, was issued by another CA, or has less than
 * {@link ServerTls#RENEW_BEFORE} left). {@code certificate} and {@code key} give the server's own
 * certificate (PEM; the file may hold the chain); {@code ca} the CA that signed it and that node
 * certificates must chain to; {@code caKey} that CA's key, without which this server cannot let
 * agents join. {@code extraSans} are added to the generated certificate's names.
 * {@code serverValidity} is how long a generated server certificate is valid (null: {@link
 * CertificateAuthority#SERVER_VALIDITY}); a running server renews it at two thirds of that
 * ({@link ServerCertificateRenewal}). Short values are for tests.
 */
public record TlsOptions(Path directory, Path certificate, Path key, Path ca, Path caKey, List<String> extraSans,
    java.time.Duration serverValidity) {
  /** The shortest {@code serverValidity}: renewals at two thirds of it must not crowd each other. */
  public static final java.time.Duration MIN_SERVER_VALIDITY = java.time.Duration.ofSeconds(10);

  public TlsOptions(Path directory, Path certificate, Path key, Path ca, Path caKey, List<String> extraSans) {
    this(directory, certificate, key, ca, caKey, extraSans, null);
  }

  public TlsOptions {
    if (serverValidity == null) {
      serverValidity = CertificateAuthority.SERVER_VALIDITY;
    }
    if (serverValidity.compareTo(MIN_SERVER_VALIDITY) < 0) {
      throw new IllegalArgumentException("the server certificate lifetime must be at least "
          + MIN_SERVER_VALIDITY.toSeconds() + "s, got " + serverValidity.toSeconds() + "s");
    }
    Objects.requireNonNull(directory, "directory");
    extraSans = List.copyOf(extraSans == null ? List.of() : extraSans);
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (certificate != null && ca == null) {
      throw new IllegalArgumentException("--tls-cert needs --tls-ca (the CA node certificates chain to)");
    }
    if (caKey != null && ca == null) {
      throw new IllegalArgumentException("--tls-ca-key needs --tls-ca");
    }
  }

  /** The same, with generated server certificates valid {@code validity}. */
  public TlsOptions withServerValidity(java.time.Duration validity) {
    return new TlsOptions(directory, certificate, key, ca, caKey, extraSans, validity);
  }

  /** Everything generated, in {@code directory}. */
  public static TlsOptions generated(Path directory, List<String> extraSans) {
    return new TlsOptions(directory, null, null, null, null, extraSans);
  }
}
