package io.wharf.dns.records;

import java.util.List;

/**
 * Everything the server answers from, at one store {@code revision} (the SOA serial follows it):
 * the services with at least one ready endpoint, and those with none (which still exist as
 * names: NODATA rather than NXDOMAIN). Immutable; the server swaps whole snapshots.
 */
public record DnsRecords(long revision, List<ServiceEndpoints> services) {

  public static final DnsRecords EMPTY = new DnsRecords(0, List.of());

  public DnsRecords {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be >= 0, got " + revision);
    }
    services = List.copyOf(services);
  }
}
