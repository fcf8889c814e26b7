package io.wharf.agent.tls;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.JoinApi;
import io.wharf.client.WharfClient;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * This node's key, its node certificate and the cluster CA, kept in {@code <data-dir>/tls/}
 * ({@code node.key} mode 0600, {@code node.crt}, {@code ca.crt}; the directory 0700), and the
 * {@link SSLContext} the agent talks to the servers with: it trusts only the cluster CA and
 * presents the node certificate (mutual TLS). {@link #renew} swaps in a new key and certificate
 * for every later handshake.
 *
 * <p>Thread safety: {@link #renew} may run on a renewal thread while handshakes read the key
 * manager; the current certificate is published through the key manager's atomic reference and
 * {@code notAfter} is volatile.
 */
public final class NodeIdentity {
  private final Path dir;
  private final String nodeName;
  private final X509Certificate ca;
  private final SwappableKeyManager keys;
  private final SSLContext sslContext;
  private volatile X509Certificate certificate;

  private NodeIdentity(Path dir, String nodeName, X509Certificate ca, PrivateKey key, X509Certificate certificate) {
    this.dir = dir;
    this.nodeName = nodeName;
    this.ca = ca;
    this.certificate = certificate;
    this.keys = new SwappableKeyManager(new SwappableKeyManager.Material(key, new X509Certificate[] {certificate}));
    this.sslContext = TlsContexts.trusting(List.of(ca), keys);
  }

  /** {@code <data-dir>/tls}. */
  public static Path directory(Path dataDir) {
    return dataDir.resolve("tls");
  }

  /** Whether a node certificate was stored here by an earlier join. */
  public static boolean present(Path dataDir) {
    Path dir = directory(dataDir);
    return Files.exists(dir.resolve("node.crt")) && Files.exists(dir.resolve("node.key"))
        && Files.exists(dir.resolve("ca.crt"));
  }

  /** The identity an earlier join stored; its certificate must be for {@code nodeName}. */
  public static NodeIdentity load(Path dataDir, String nodeName) {
    Path dir = directory(dataDir);
    try {
      X509Certificate ca = CaCertificates.read(dir.resolve("ca.crt")).getFirst();
      X509Certificate cert = CaCertificates.read(dir.resolve("node.crt")).getFirst();
      PrivateKey key = readKey(Files.readString(dir.resolve("node.key"), StandardCharsets.US_ASCII));
      String cn = commonName(cert);
      if (!nodeName.equals(cn)) {
        throw new IllegalArgumentException("the node certificate in " + dir + " is for node \"" + cn + "\", not \""
            + nodeName + "\" (give --name " + cn + ", or another --data-dir)");
      }
      return new NodeIdentity(dir, nodeName, ca, key, cert);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the node's TLS files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Joins: makes a key pair here, sends a certificate request with {@code token} to the first
   * server that answers, checks the returned CA against what this agent trusts ({@code caFile}'s
   * certificate, else the {@code caFingerprint} pin), and stores key, certificate and CA.
   * Exactly one of {@code caFile} and {@code caFingerprint} is given.
   */
  public static NodeIdentity join(ClientSettings servers, String token, Path caFile, String caFingerprint,
      String nodeName, Path dataDir) {
    if ((caFile == null) == (caFingerprint == null)) {
      throw new IllegalArgumentException("joining needs the cluster CA: --ca-cert FILE or --ca-cert-hash sha256:HEX");
    }
    X509Certificate trustedCa = caFile == null ? null : CaCertificates.read(caFile).getFirst();
    String pin = caFingerprint == null ? null : CaCertificates.parseFingerprint(caFingerprint);
    SSLContext joining = trustedCa != null ? TlsContexts.trusting(List.of(trustedCa)) : TlsContexts.pinned(pin);
    KeyPair pair = newKeyPair();
    JsonNode answer;
    try (WharfClient client = new WharfClient(servers.withSslContext(joining))) {
      answer = new JoinApi(client).join(token, certificationRequest(nodeName, pair));
    }
    X509Certificate ca = CaCertificates.parse(answer.path("caCertificate").asText()).getFirst();
    if (trustedCa != null ? !trustedCa.equals(ca) : !CaCertificates.fingerprint(ca).equals(pin)) {
      throw new IllegalStateException("the server answered with a CA other than the one this agent trusts");
    }
    X509Certificate cert = CaCertificates.parse(answer.path("certificate").asText()).getFirst();
    Path dir = directory(dataDir);
    createPrivateDirectory(dir);
    write(dir.resolve("ca.crt"), CaCertificates.toPem(ca), "rw-r--r--");
    write(dir.resolve("node.key"), pem(pair.getPrivate()), "rw-------");
    write(dir.resolve("node.crt"), CaCertificates.toPem(cert), "rw-r--r--");
    return new NodeIdentity(dir, nodeName, ca, pair.getPrivate(), cert);
  }

  /**
   * A new key and certificate, asked for over mutual TLS with the current certificate (no join
   * token); stored, then presented on every later handshake. {@code client} must use
   * {@link #sslContext()}.
   */
  public void renew(WharfClient client) {
    KeyPair pair = newKeyPair();
    JsonNode answer = new JoinApi(client).join(null, certificationRequest(nodeName, pair));
    X509Certificate cert = CaCertificates.parse(answer.path("certificate").asText()).getFirst();
    write(dir.resolve("node.key"), pem(pair.getPrivate()), "rw-------");
    write(dir.resolve("node.crt"), CaCertificates.toPem(cert), "rw-r--r--");
    keys.swap(new SwappableKeyManager.Material(pair.getPrivate(), new X509Certificate[] {cert}));
    certificate = cert;
  }

  public SSLContext sslContext() {
    return sslContext;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public X509Certificate ca() {
    return ca;
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  public String nodeName() {
    return nodeName;
  }

  static String commonName(X509Certificate cert) {
    try {
      for (var rdn : new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      // falls through: no name
    }
    return "";
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 on this JDK: " + e.getMessage(), e);
    }
  }

  /** A PKCS#10 request for CN = {@code nodeName}, signed by the new key (proof of possession). */
  static String certificationRequest(String nodeName, KeyPair pair) {
    try {
      var request = new JcaPKCS10CertificationRequestBuilder(
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, nodeName).build(), pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(request);
      }
      return out.toString();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a certificate request: " + e.getMessage(), e);
    }
  }

  private static String pem(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static PrivateKey readKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
    }
    throw new IOException("node.key is not a PKCS#8 private key");
  }

  private static void createPrivateDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Written to a temp file created with {@code mode}, then renamed over the old one. */
  private static void write(Path file, String text, String mode) {
    Objects.requireNonNull(text);
    try {
      Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
