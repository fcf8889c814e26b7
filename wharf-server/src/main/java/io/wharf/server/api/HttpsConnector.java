package io.wharf.server.api;

import io.wharf.server.tls.ServerTls;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The API's HTTPS connector: TLS 1.2 and 1.3 only, the server certificate of {@link ServerTls},
 * client certificates <em>wanted</em> but not needed (callers with a bearer token have none);
 * a presented certificate must chain to the cluster CA or the handshake fails. The certificate
 * chain reaches handlers as the servlet attribute {@code jakarta.servlet.request.X509Certificate}.
 * {@link #reload} swaps in a renewed certificate while the connector runs.
 */
final class HttpsConnector {
  private HttpsConnector() {
  }

  static ServerConnector create(Server server, HttpConfiguration http, ServerTls tls, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.sslContext());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    ssl.setWantClientAuth(true);
    ssl.setNeedClientAuth(false);
    HttpConfiguration https = new HttpConfiguration(http);
    // Clients reach servers by IP as often as by name; the client checks the certificate's names,
    // so Jetty need not compare SNI with the Host header.
    https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /**
   * Serves new connections of {@code connector} with {@code context} (a renewed server
   * certificate). Jetty's reload swaps the factory's context; connections already open keep their
   * TLS engine, and so the certificate they were opened with, and are not dropped.
   */
  static void reload(ServerConnector connector, javax.net.ssl.SSLContext context) {
    SslContextFactory ssl = connector.getConnectionFactory(SslConnectionFactory.class).getSslContextFactory();
    try {
      ssl.reload(factory -> factory.setSslContext(context));
    } catch (Exception e) {
      throw new IllegalStateException("cannot install the renewed server certificate: " + e.getMessage(), e);
    }
  }
}
