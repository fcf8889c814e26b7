package io.wharf.server.tls;

import io.wharf.client.tls.CaCertificates;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM text of certificates, private keys (PKCS#8 out; PKCS#8, SEC1 or PKCS#1 in) and certificate requests. */
public final class Pem {
  private Pem() {
  }

  public static String certificate(X509Certificate certificate) {
    return CaCertificates.toPem(certificate);
  }

  public static List<X509Certificate> certificates(String pem) {
    return CaCertificates.parse(pem);
  }

  /** PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted. */
  public static String privateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The first private key in {@code pem}; a clear {@link IllegalArgumentException} when there is none. */
  public static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a PEM private key (" + e.getMessage() + ")", e);
    }
    throw new IllegalArgumentException("no unencrypted PEM private key found");
  }

  /** A PKCS#10 certificate request ({@code BEGIN CERTIFICATE REQUEST}). */
  public static PKCS10CertificationRequest certificationRequest(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o instanceof PKCS10CertificationRequest csr) {
        return csr;
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM certificate request (" + e.getMessage() + ")", e);
    }
    throw new IllegalArgumentException("not a PEM certificate request (expected BEGIN CERTIFICATE REQUEST)");
  }
}
