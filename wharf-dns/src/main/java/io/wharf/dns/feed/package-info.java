/**
 * Where the DNS server's records come from: {@link io.wharf.dns.feed.ReadyEndpoints} (pure:
 * services, instances and nodes in, a {@link io.wharf.dns.records.DnsRecords} snapshot out) and
 * {@link io.wharf.dns.feed.ClusterFeed}, which lists and watches the three kinds through the API
 * and hands a fresh snapshot to the server after every change.
 */
package io.wharf.dns.feed;
