/**
 * What the DNS server knows, as immutable values: a {@link io.wharf.dns.records.DnsRecords}
 * snapshot of every service's ready {@link io.wharf.dns.records.Endpoint}s. A new snapshot
 * replaces the old one whole; nothing here changes after construction.
 */
package io.wharf.dns.records;
