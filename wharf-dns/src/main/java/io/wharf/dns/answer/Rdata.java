package io.wharf.dns.answer;

/** The data of one resource record the zone serves; names are dotted, lower case, absolute. */
sealed interface Rdata {

  int type();

  record A(byte[] address) implements Rdata {
    @Override public int type() { return Wire.TYPE_A; }
  }

  record Aaaa(byte[] address) implements Rdata {
    @Override public int type() { return Wire.TYPE_AAAA; }
  }

  record Srv(int priority, int weight, int port, String target) implements Rdata {
    @Override public int type() { return Wire.TYPE_SRV; }
  }

  record Ns(String host) implements Rdata {
    @Override public int type() { return Wire.TYPE_NS; }
  }

  /** {@code minimum} is also the TTL of negative answers (RFC 2308). */
  record Soa(String mname, String rname, long serial, int refresh, int retry, int expire,
      int minimum) implements Rdata {
    @Override public int type() { return Wire.TYPE_SOA; }
  }
}
