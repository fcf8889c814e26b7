package io.wharf.server.tls;

import java.io.StringWriter;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Certificate requests as an agent makes them, for tests. */
final class Csrs {
  private Csrs() {
  }

  /** A PEM request for CN = {@code cn}, signed by {@code signer} but naming {@code subjectKey}'s public key. */
  static String of(String cn, KeyPair subjectKey, KeyPair signer) throws Exception {
    var request = new JcaPKCS10CertificationRequestBuilder(
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build(), subjectKey.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(request);
    }
    return out.toString();
  }

  static String of(String cn, KeyPair key) throws Exception {
    return of(cn, key, key);
  }
}
