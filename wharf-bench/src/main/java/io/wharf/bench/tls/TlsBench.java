package io.wharf.bench.tls;

import io.wharf.client.ClientSettings;
import io.wharf.client.JoinApi;
import io.wharf.client.WharfClient;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import io.wharf.server.ControlPlane;
import io.wharf.server.tls.CertificateAuthority;
import io.wharf.server.tls.TlsOptions;
import io.wharf.store.Store;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The API over plain HTTP and over HTTPS side by side, in this process, on loopback: two control
 * planes on embedded stores in temp directories, one with TLS. Measures {@code GET /v1/health}
 * on a kept connection, the same on a new connection each time (TCP plus, for HTTPS, a TLS 1.3
 * handshake with the server's EC P-256 certificate), and a join (token create, then a CSR
 * signed). Run: {@code java -cp ... io.wharf.bench.tls.TlsBench [requests] [connections] [joins]}.
 */
public final class TlsBench {
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int joins = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Path dir = Files.createTempDirectory("wharf-tlsbench");
    try (Store plainStore = EmbeddedStore.open(dir.resolve("plain"));
        Store tlsStore = EmbeddedStore.open(dir.resolve("tls"));
        ControlPlane plain = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded"), plainStore);
        ControlPlane https = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded")
            .withTls(TlsOptions.generated(dir.resolve("data"), List.of())), tlsStore)) {
      X509Certificate ca = CaCertificates.read(dir.resolve("data/tls/ca.crt")).getFirst();
      SSLContext trust = TlsContexts.trusting(List.of(ca));
      System.out.printf("TlsBench: %d cores, %s vs %s%n", Runtime.getRuntime().availableProcessors(),
          plain.apiAddress(), https.apiAddress());

      double[] keptHttp = kept(plain.apiAddress(), null, requests);
      double[] keptHttps = kept(https.apiAddress(), trust, requests);
      double[] newHttp = fresh(plain.apiAddress(), () -> null, connections);
      double[] newHttps = fresh(https.apiAddress(), () -> trust, connections);
      double[] join = joins(https.apiAddress(), trust, joins);

      System.out.printf("%-42s %10s %10s%n", "", "p50 ms", "p99 ms");
      row("GET /v1/health, kept connection, http", keptHttp);
      row("GET /v1/health, kept connection, https", keptHttps);
      row("GET /v1/health, new connection, http", newHttp);
      row("GET /v1/health, new connection, https", newHttps);
      row("join (create token + sign CSR), https", join);
      System.out.printf("ratio https/http: kept %.2fx, new connection %.2fx (p50)%n",
          keptHttps[0] / keptHttp[0], newHttps[0] / newHttp[0]);
    }
  }

  private static double[] kept(URI base, SSLContext tls, int n) {
    try (WharfClient client = new WharfClient(ClientSettings.of(base).withSslContext(tls))) {
      for (int i = 0; i < Math.min(n, 1000); i++) {
        client.health();
      }
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        client.health();
        nanos[i] = System.nanoTime() - t0;
      }
      return percentiles(nanos);
    }
  }

  private static double[] fresh(URI base, Supplier<SSLContext> tls, int n) {
    for (int i = 0; i < Math.min(n, 100); i++) {
      try (WharfClient client = new WharfClient(ClientSettings.of(base).withSslContext(tls.get()))) {
        client.health();
      }
    }
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try (WharfClient client = new WharfClient(ClientSettings.of(base).withSslContext(tls.get()))) {
        client.health();
      }
      nanos[i] = System.nanoTime() - t0;
    }
    return percentiles(nanos);
  }

  private static double[] joins(URI base, SSLContext trust, int n) throws Exception {
    long[] nanos = new long[n];
    try (WharfClient client = new WharfClient(ClientSettings.of(base).withSslContext(trust))) {
      JoinApi api = new JoinApi(client);
      for (int i = 0; i < n; i++) {
        KeyPair key = CertificateAuthority.newKeyPair();
        String csr = csr("bench-node-" + i, key);
        long t0 = System.nanoTime();
        api.join(api.createToken("10m").path("token").asText(), csr);
        nanos[i] = System.nanoTime() - t0;
      }
    }
    return percentiles(nanos);
  }

  private static String csr(String node, KeyPair key) throws Exception {
    var request = new JcaPKCS10CertificationRequestBuilder(
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, node).build(), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(request);
    }
    return out.toString();
  }

  private static double[] percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new double[] {sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1,
        Math.ceil(sorted.length * 0.99) - 1)] / 1e6};
  }

  private static void row(String name, double[] p) {
    System.out.printf("%-42s %10.2f %10.2f%n", name, p[0], p[1]);
  }
}
