/** What TLS costs the control-plane API: requests on a kept connection, new connections (handshakes), joins. */
package io.wharf.bench.tls;
