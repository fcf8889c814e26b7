/**
 * The client's side of TLS: reading the cluster CA certificate (PEM), its SHA-256 fingerprint,
 * and the {@link javax.net.ssl.SSLContext}s that trust exactly that CA (the CLI) or one pinned
 * fingerprint (an agent joining). Never "trust all": a server the CA did not sign is refused with
 * "server certificate not trusted: ...". JDK only, no third-party crypto.
 */
package io.wharf.client.tls;
