/**
 * The agent's identity on an HTTPS cluster: joining with a join token (a key made here, a
 * certificate request sent, a node certificate back; the private key never leaves the node),
 * the files in {@code <data-dir>/tls/}, mutual TLS with that certificate, and renewing it before
 * it expires.
 */
package io.wharf.agent.tls;
