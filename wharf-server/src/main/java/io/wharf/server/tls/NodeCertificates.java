package io.wharf.server.tls;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * What makes a node certificate: signed by the cluster CA, valid now, for client authentication,
 * organisation {@value #ORGANISATION}, CN a valid node name. And what makes a node's certificate
 * request acceptable: self-signed by its key (proof of possession), CN a valid node name.
 */
public final class NodeCertificates {
  public static final String ORGANISATION = "wharf-nodes";
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private NodeCertificates() {
  }

  /** A node's certificate request, checked. */
  public record Request(String nodeName, PublicKey publicKey) {}

  /** Parses and checks a PEM request; the exception message says what is wrong with it. */
  public static Request checkRequest(String pem) {
    PKCS10CertificationRequest csr = Pem.certificationRequest(pem);
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
      PublicKey key = jca.getPublicKey();
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("the certificate request's signature does not verify");
      }
      RDN[] cn = csr.getSubject().getRDNs(BCStyle.CN);
      if (cn.length != 1) {
        throw new IllegalArgumentException("the certificate request needs exactly one CN (the node name)");
      }
      String name = IETFUtils.valueToString(cn[0].getFirst().getValue());
      if (!NODE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("the certificate request's CN must be a node name (lowercase letters, "
            + "digits and '-', at most 63), got \"" + name + "\"");
      }
      return new Request(name, key);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
        | org.bouncycastle.pkcs.PKCSException e) {
      throw new IllegalArgumentException("unreadable certificate request: " + e.getMessage(), e);
    }
  }

  /**
   * The node a client certificate chain proves, when its leaf is a node certificate of
   * {@code ca} valid at {@code now}; otherwise a reason (empty Optional never: the caller has
   * a chain to judge).
   */
  public static Verdict verify(List<X509Certificate> chain, X509Certificate ca, Instant now) {
    if (chain.isEmpty()) {
      return new Verdict(Optional.empty(), "no client certificate");
    }
    X509Certificate leaf = chain.getFirst();
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return new Verdict(Optional.empty(), "client certificate not issued by this cluster's CA");
    }
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return new Verdict(Optional.empty(), "client certificate not issued by this cluster's CA");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (java.security.cert.CertificateExpiredException e) {
      return new Verdict(Optional.empty(), "client certificate expired at " + leaf.getNotAfter().toInstant());
    } catch (java.security.cert.CertificateNotYetValidException e) {
      return new Verdict(Optional.empty(), "client certificate not valid before " + leaf.getNotBefore().toInstant());
    }
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages == null || !usages.contains(CLIENT_AUTH)) {
        return new Verdict(Optional.empty(), "certificate is not a client certificate");
      }
    } catch (CertificateParsingException e) {
      return new Verdict(Optional.empty(), "unreadable client certificate");
    }
    String organisation = null;
    String commonName = null;
    try {
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("O")) {
          organisation = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("CN")) {
          commonName = String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      return new Verdict(Optional.empty(), "unreadable client certificate subject");
    }
    if (!ORGANISATION.equals(organisation) || commonName == null || !NODE_NAME.matcher(commonName).matches()) {
      return new Verdict(Optional.empty(), "client certificate is not a node certificate");
    }
    return new Verdict(Optional.of(commonName), null);
  }

  /** A node name, or why the chain proves none. */
  public record Verdict(Optional<String> node, String reason) {}
}
