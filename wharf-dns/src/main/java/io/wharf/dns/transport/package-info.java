/**
 * The sockets: {@link io.wharf.dns.transport.UdpListener} (a few platform threads, each
 * receiving on its own socket sharing the port), {@link io.wharf.dns.transport.TcpListener}
 * (one virtual thread per connection, messages framed by a 2-byte length) and the
 * {@link io.wharf.dns.transport.Forwarder} that relays names outside the zone to an upstream
 * server. They hand packets to {@link io.wharf.dns.answer.PacketHandler} and send what it says.
 */
package io.wharf.dns.transport;
