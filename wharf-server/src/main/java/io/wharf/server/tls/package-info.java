/**
 * TLS of the control plane: the cluster CA (generated at first start and shared by every server
 * through the store, or given by the operator), the server certificate each server issues
 * itself and renews while running ({@link io.wharf.server.tls.ServerCertificateRenewal}), join tokens (how an agent earns its first node certificate), signing the agents'
 * certificate requests, and the {@link io.wharf.server.auth.Authenticator} that maps a verified
 * client certificate to {@code node:NAME}. Certificates are made with BouncyCastle (bcpkix);
 * the JDK verifies and serves them.
 */
package io.wharf.server.tls;
