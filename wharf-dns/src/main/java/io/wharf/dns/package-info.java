/**
 * Wharf's DNS server ({@code wharf dns}, and inside {@code wharf dev}): authoritative for the
 * {@code wharf} zone, it answers A/AAAA for {@code <service>.<namespace>.wharf} and SRV for
 * {@code _<port>._tcp.<service>.<namespace>.wharf} from the ready instances, over UDP and TCP.
 * {@link io.wharf.dns.DnsServer} assembles the pieces: {@code records} (the snapshot values),
 * {@code answer} (wire format and lookups, pure), {@code transport} (sockets) and {@code feed}
 * (the API watch that builds snapshots).
 */
package io.wharf.dns;
