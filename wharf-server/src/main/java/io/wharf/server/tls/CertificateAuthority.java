package io.wharf.server.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority: an EC P-256 key and its self-signed certificate, which
 * signs server certificates (serverAuth) and node certificates (clientAuth, CN = node name).
 * Immutable; {@link #key()} is null for a CA the operator gave without its key, which can be
 * trusted but issues nothing.
 *
 * <p>Uses the JDK's providers (SunEC) through BouncyCastle's builders; BouncyCastle is not
 * registered as a provider.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  public static final Duration NODE_VALIDITY = Duration.ofDays(30);
  /** Certificates start this long before "now", so a peer whose clock is a little behind accepts them. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  public CertificateAuthority {
    Objects.requireNonNull(certificate, "certificate");
  }

  /** A new CA named {@code commonName}, valid ten years from {@code now}. */
  public static CertificateAuthority generate(String commonName, Instant now) {
    KeyPair pair = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "wharf").addRDN(BCStyle.CN, commonName)
        .build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot make a CA certificate: " + e.getMessage(), e);
    }
  }

  /** A new EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 on this JDK: " + e.getMessage(), e);
    }
  }

  public boolean canIssue() {
    return key != null;
  }

  /**
   * A server certificate for {@code publicKey} naming {@code subjectAltNames} (IP literals
   * become IP SANs, anything else DNS SANs), valid {@code validity} from {@code now}.
   */
  public X509Certificate issueServer(PublicKey publicKey, String commonName, List<String> subjectAltNames,
      Instant now, Duration validity) {
    List<GeneralName> names = new ArrayList<>();
    for (String san : subjectAltNames) {
      names.add(isIpLiteral(san) ? new GeneralName(GeneralName.iPAddress, san) : new GeneralName(GeneralName.dNSName, san));
    }
    try {
      X509v3CertificateBuilder builder = leaf(publicKey, commonName, "wharf-servers", now, validity)
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      return sign(builder, requireKey());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue a server certificate: " + e.getMessage(), e);
    }
  }

  /** A node's client certificate: CN = {@code nodeName}, clientAuth only, for {@code publicKey}. */
  public X509Certificate issueNode(PublicKey publicKey, String nodeName, Instant now, Duration validity) {
    try {
      X509v3CertificateBuilder builder = leaf(publicKey, nodeName, NodeCertificates.ORGANISATION, now, validity)
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      return sign(builder, requireKey());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue a node certificate: " + e.getMessage(), e);
    }
  }

  private X509v3CertificateBuilder leaf(PublicKey publicKey, String commonName, String organisation, Instant now,
      Duration validity) throws GeneralSecurityException, java.io.IOException {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organisation)
        .addRDN(BCStyle.CN, commonName).build();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant(); // never outlive the CA
    }
    // A short-lived certificate (tests; see TlsOptions#serverValidity) is backdated by at most a
    // third of its validity, so "two thirds into its life" stays after the moment it was issued.
    Duration backdate = validity.dividedBy(3).compareTo(BACKDATE) < 0 ? validity.dividedBy(3) : BACKDATE;
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    return new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(backdate)), Date.from(notAfter),
        subject, publicKey)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
  }

  private PrivateKey requireKey() {
    if (key == null) {
      throw new IllegalStateException("this server has the CA certificate but not its key: it cannot issue "
          + "certificates (give --tls-ca-key)");
    }
    return key;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      String algorithm = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(algorithm).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  static boolean isIpLiteral(String text) {
    return org.bouncycastle.util.IPAddress.isValid(text);
  }
}
