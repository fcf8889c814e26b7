package io.wharf.server.tls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import io.wharf.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's TLS material, ready to serve: the cluster CA (which node certificates must chain to,
 * and which signs them when this server has its key), the server's own certificate and key, and
 * the {@link SSLContext} Jetty serves with (TLS 1.2 and 1.3; client certificates verified against
 * the CA when presented). Made at start by {@link #prepare}. A certificate this server issued
 * itself is {@link #renewable()}: {@link #renew} issues the next one (new key, same names), writes
 * it to the files and swaps the certificate and context in one step; the CA never changes.
 *
 * <p>Thread safety: readers see the current certificate and context through one atomic
 * reference; {@link #renew} is called by one thread ({@link ServerCertificateRenewal}).
 *
 * <p>Files in {@code <data-dir>/tls/}: {@code ca.crt} (the CA certificate, to hand to the CLI and
 * agents), {@code server.crt} and {@code server.key} (mode 0600). The directory is 0700.
 */
public final class ServerTls {
  /** A generated server certificate with less than this left is re-issued at start. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** The certificate served now and the context serving it (with the CA in its chain). */
  private record Served(X509Certificate certificate, SSLContext context) {}

  private final CertificateAuthority ca;
  private final java.util.concurrent.atomic.AtomicReference<Served> served;
  private final Path caFile;
  private final Path directory; // <data-dir>/tls
  private final List<String> sans;
  private final Duration validity;
  private final boolean generated; // this server issued its certificate (no --tls-cert)

  private ServerTls(CertificateAuthority ca, Served served, Path caFile, Path directory, List<String> sans,
      Duration validity, boolean generated) {
    this.ca = ca;
    this.served = new java.util.concurrent.atomic.AtomicReference<>(served);
    this.caFile = caFile;
    this.directory = directory;
    this.sans = List.copyOf(sans);
    this.validity = validity;
    this.generated = generated;
  }

  /**
   * Loads or makes everything {@code options} asks for. {@code sans} are the names the server
   * certificate must carry when this server issues it (see {@link #subjectAltNames}).
   */
  public static ServerTls prepare(TlsOptions options, Store store, ObjectMapper json, List<String> sans, Instant now) {
    return prepare(options, store, json, sans, now, io.wharf.server.secrets.SecretSealer.inMemory());
  }

  /** As above; a generated cluster CA's key is sealed with {@code sealer}'s keyring. */
  public static ServerTls prepare(TlsOptions options, Store store, ObjectMapper json, List<String> sans, Instant now,
      io.wharf.server.secrets.SecretSealer sealer) {
    Path dir = options.directory().resolve("tls");
    createPrivateDirectory(dir);
    CertificateAuthority ca = options.ca() == null ? ClusterCa.loadOrCreate(store, json, now, sealer)
        : new CertificateAuthority(CaCertificates.read(options.ca()).getFirst(),
            options.caKey() == null ? null : readKey(options.caKey()));
    List<X509Certificate> chain;
    PrivateKey key;
    if (options.certificate() != null) {
      chain = CaCertificates.read(options.certificate());
      key = readKey(options.key());
    } else {
      Path certFile = dir.resolve("server.crt");
      Path keyFile = dir.resolve("server.key");
      X509Certificate existing = reusable(certFile, keyFile, ca, sans, now);
      if (existing != null) {
        chain = List.of(existing);
        key = readKey(keyFile);
      } else {
        Issued issued = issue(ca, dir, sans, now, options.serverValidity());
        chain = List.of(issued.certificate());
        key = issued.key();
      }
    }
    Path caFile = dir.resolve("ca.crt");
    writePublic(caFile, Pem.certificate(ca.certificate()));
    return new ServerTls(ca, served(ca, key, chain), caFile, dir, sans, options.serverValidity(),
        options.certificate() == null);
  }

  private record Issued(PrivateKey key, X509Certificate certificate) {}

  /** A new key and a certificate for it, written to {@code server.key} and {@code server.crt} in {@code dir}. */
  private static Issued issue(CertificateAuthority ca, Path dir, List<String> sans, Instant now, Duration validity) {
    KeyPair pair = CertificateAuthority.newKeyPair();
    X509Certificate issued = ca.issueServer(pair.getPublic(), sans.getFirst(), sans, now, validity);
    writePrivate(dir.resolve("server.key"), Pem.privateKey(pair.getPrivate()));
    writePublic(dir.resolve("server.crt"), Pem.certificate(issued));
    log.info("issued server certificate for {} (serial {}, valid until {})", sans, issued.getSerialNumber().toString(16),
        issued.getNotAfter().toInstant());
    return new Issued(pair.getPrivate(), issued);
  }

  private static Served served(CertificateAuthority ca, PrivateKey key, List<X509Certificate> chain) {
    List<X509Certificate> presented = new ArrayList<>(chain);
    if (presented.stream().noneMatch(c -> c.equals(ca.certificate()))) {
      presented.add(ca.certificate()); // a pinning agent finds the CA in the chain
    }
    return new Served(chain.getFirst(), context(key, presented, ca.certificate()));
  }

  /**
   * Whether this server can renew its certificate itself: it issued it (no {@code --tls-cert})
   * and holds the CA's key. A certificate the operator gave is replaced by the operator.
   */
  public boolean renewable() {
    return generated && ca.canIssue();
  }

  /** When the served certificate is due for renewal: two thirds into its lifetime. */
  public Instant renewalDue() {
    X509Certificate current = serverCertificate();
    Instant notBefore = current.getNotBefore().toInstant();
    Duration life = Duration.between(notBefore, current.getNotAfter().toInstant());
    return notBefore.plus(life.multipliedBy(2).dividedBy(3));
  }

  /**
   * Issues the next server certificate (a new key, the same names, the configured lifetime from
   * {@code now}), writes it over {@code server.crt}/{@code server.key} and serves it from now on:
   * {@link #sslContext()} answers the new context, which the caller installs in the listener.
   * Returns the new certificate.
   *
   * @throws IllegalStateException when the certificate is not {@link #renewable()} or writing fails
   */
  public X509Certificate renew(Instant now) {
    if (!renewable()) {
      throw new IllegalStateException("this server's certificate was given by the operator (--tls-cert) "
          + "or the CA's key is missing: it cannot renew it itself");
    }
    Issued issued = issue(ca, directory, sans, now, validity);
    served.set(served(ca, issued.key(), List.of(issued.certificate())));
    return issued.certificate();
  }

  /**
   * The names a generated server certificate carries: the bind address (every local address when
   * it is a wildcard), 127.0.0.1, localhost, this host's name, then {@code extra}; no duplicates.
   */
  public static List<String> subjectAltNames(String bindHost, Collection<String> extra) {
    Set<String> names = new LinkedHashSet<>();
    if (bindHost.equals("0.0.0.0") || bindHost.equals("::")) {
      try {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
          nic.inetAddresses().map(InetAddress::getHostAddress).filter(a -> !a.contains("%")).forEach(names::add);
        }
      } catch (SocketException e) {
        log.warn("cannot list network interfaces for the server certificate: {}", e.getMessage());
      }
    } else {
      names.add(bindHost);
    }
    names.add("127.0.0.1");
    names.add("localhost");
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // no resolvable host name: the other names serve
    }
    names.addAll(extra);
    return List.copyOf(names);
  }

  public CertificateAuthority ca() {
    return ca;
  }

  /** The certificate served now. */
  public X509Certificate serverCertificate() {
    return served.get().certificate();
  }

  /** The context new connections are served with now (replaced by {@link #renew}). */
  public SSLContext sslContext() {
    return served.get().context();
  }

  /** {@code <data-dir>/tls/ca.crt}. */
  public Path caFile() {
    return caFile;
  }

  /** The CA's fingerprint, {@code sha256:HEX}: what agents pin when they join without the CA file. */
  public String caFingerprint() {
    return CaCertificates.fingerprint(ca.certificate());
  }

  /** The certificate on disk when it still serves: this CA's, all {@code sans}, long enough left. */
  private static X509Certificate reusable(Path certFile, Path keyFile, CertificateAuthority ca, List<String> sans,
      Instant now) {
    if (!Files.exists(certFile) || !Files.exists(keyFile)) {
      return null;
    }
    try {
      X509Certificate cert = CaCertificates.read(certFile).getFirst();
      cert.verify(ca.certificate().getPublicKey());
      if (cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
        log.info("server certificate expires at {}: issuing a new one", cert.getNotAfter().toInstant());
        return null;
      }
      Set<String> named = new LinkedHashSet<>();
      if (cert.getSubjectAlternativeNames() != null) {
        for (List<?> san : cert.getSubjectAlternativeNames()) {
          named.add(String.valueOf(san.get(1)));
        }
      }
      if (!named.containsAll(sans)) {
        log.info("server certificate names {}, not all of {}: issuing a new one", named, sans);
        return null;
      }
      return cert;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      log.info("server certificate in {} is not usable ({}): issuing a new one", certFile, e.getMessage());
      return null;
    }
  }

  private static SSLContext context(PrivateKey key, List<X509Certificate> chain, X509Certificate ca) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = new char[0];
      keys.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager[] managers = factory.getKeyManagers();
      context.init(managers, new TrustManager[] {TlsContexts.trustManager(List.of(ca))}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up the server's TLS: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(Path file) {
    try {
      return Pem.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static void createPrivateDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code text} to {@code file} with mode 0600 from the first byte (temp file, then rename). */
  public static void writePrivate(Path file, String text) {
    write(file, text, "rw-------");
  }

  static void writePublic(Path file, String text) {
    write(file, text, "rw-r--r--");
  }

  private static void write(Path file, String text, String mode) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode)); // umask may have narrowed it
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
