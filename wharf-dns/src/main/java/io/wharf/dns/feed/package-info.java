/**
 * Where the DNS server's records come from: {@link io.wharf.dns.feed.ReadyEndpoints} (pure:
 * services, instances, nodes and external endpoints in, through the shared discovery view
 * {@code io.wharf.model.discovery.Discovery}, a {@link io.wharf.dns.records.DnsRecords} snapshot
 * out) and {@link io.wharf.dns.feed.ClusterFeed}, which lists and watches the four kinds through
 * the API
 * and hands a fresh snapshot to the server after every change.
 */
package io.wharf.dns.feed;
