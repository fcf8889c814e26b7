package io.wharf.dns.answer;

import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every answer of one {@link DnsRecords} snapshot, encoded once: for each name of the zone and
 * each type it has data for, the whole reply (header with id 0, question in lower case, answers,
 * additional records). Names that exist without data (the zone's empty non-terminals such as
 * {@code <namespace>.wharf}, or a service with no ready endpoint) are present with no templates,
 * so they answer NODATA rather than NXDOMAIN.
 *
 * <p>The names served, under origin {@code wharf}:
 * <ul>
 *   <li>{@code <service>.<namespace>.wharf}: A / AAAA, one per distinct endpoint address;
 *   <li>{@code <instance>.<service>.<namespace>.wharf}: the endpoint's A / AAAA;
 *   <li>{@code _<port>._<tcp|udp>.<service>.<namespace>.wharf}: SRV, one per endpoint with that
 *       port, target the instance's name (its address in the additional section);
 *   <li>{@code wharf}: SOA and NS {@code ns.wharf}; {@code ns.wharf}: the server's address.
 * </ul>
 *
 * <p>Immutable and safe to share between threads once built.
 */
public final class ZoneIndex {

  private static final int SRV_PRIORITY = 0;
  private static final int SRV_WEIGHT = 1;

  private final Zone zone;
  private final byte[] origin;
  private final Map<ByteBuffer, Map<Integer, byte[]>> names;
  private final byte[] soaRecord;
  private final int nameCount;

  private ZoneIndex(Zone zone, Map<ByteBuffer, Map<Integer, byte[]>> names, byte[] soaRecord) {
    this.zone = zone;
    this.origin = MessageWriter.wireName(zone.origin());
    this.names = names;
    this.soaRecord = soaRecord;
    this.nameCount = names.size();
  }

  public Zone zone() {
    return zone;
  }

  /** How many names the zone has (with or without data). */
  public int size() {
    return nameCount;
  }

  /** The reply templates by type of a name (lower-case wire form); null when it does not exist. */
  Map<Integer, byte[]> lookup(ByteBuffer name) {
    return names.get(name);
  }

  /** The zone's SOA record with an uncompressed owner name, for negative answers. */
  byte[] soaRecord() {
    return soaRecord;
  }

  /** Whether a lower-case wire name is the origin or below it. */
  boolean contains(ByteBuffer name) {
    byte[] n = name.array();
    int at = 0;
    while (at < n.length) {
      if (n.length - at == origin.length) {
        return java.util.Arrays.equals(n, at, n.length, origin, 0, origin.length);
      }
      if (n.length - at < origin.length) {
        return false;
      }
      at += (n[at] & 0xff) + 1;
    }
    return false;
  }

  /** Encodes every answer of {@code records}. Names that are not valid DNS names are left out. */
  public static ZoneIndex build(Zone zone, DnsRecords records) {
    String origin = zone.origin();
    long serial = records.revision() & 0xffffffffL;
    Rdata.Soa soa = new Rdata.Soa(zone.nameServer(), "hostmaster." + origin, serial, 3600, 600,
        86400, zone.ttlSeconds());
    Map<String, Map<Integer, List<Rdata>>> data = new LinkedHashMap<>();
    Set<String> exist = new LinkedHashSet<>();
    add(data, origin, soa);
    add(data, origin, new Rdata.Ns(zone.nameServer()));
    exist.add(zone.nameServer());
    if (zone.nameServerAddress() != null) {
      add(data, zone.nameServer(), address(zone.nameServerAddress()));
    }
    for (ServiceEndpoints service : records.services()) {
      String serviceName = lower(service.service() + "." + service.namespace() + "." + origin);
      if (Zone.nameProblem(serviceName) != null) {
        continue;
      }
      exist.add(serviceName);
      Set<InetAddress> seen = new LinkedHashSet<>();
      for (Endpoint e : service.endpoints()) {
        if (seen.add(e.address())) {
          add(data, serviceName, address(e.address()));
        }
        String instanceName = lower(e.instance()) + "." + serviceName;
        boolean instanceOk = Zone.nameProblem(instanceName) == null;
        if (instanceOk) {
          add(data, instanceName, address(e.address()));
        }
        for (EndpointPort port : e.ports()) {
          String srvName = "_" + lower(port.name()) + "._" + port.protocol() + "." + serviceName;
          if (instanceOk && Zone.nameProblem(srvName) == null) {
            add(data, srvName, new Rdata.Srv(SRV_PRIORITY, SRV_WEIGHT, port.port(), instanceName));
          }
        }
      }
    }
    exist.addAll(data.keySet());
    Map<ByteBuffer, Map<Integer, byte[]>> names = new HashMap<>();
    for (String name : exist) {
      for (String n = name; n.length() >= origin.length(); n = parent(n)) {
        names.putIfAbsent(key(n), new HashMap<>());
        if (n.length() == origin.length()) {
          break;
        }
      }
    }
    int ttl = zone.ttlSeconds();
    for (Map.Entry<String, Map<Integer, List<Rdata>>> e : data.entrySet()) {
      Map<Integer, byte[]> templates = names.get(key(e.getKey()));
      List<Rdata> all = new ArrayList<>();
      for (Map.Entry<Integer, List<Rdata>> byType : e.getValue().entrySet()) {
        templates.put(byType.getKey(), template(e.getKey(), byType.getKey(), byType.getValue(), data, ttl));
        all.addAll(byType.getValue());
      }
      templates.put(Wire.TYPE_ANY, template(e.getKey(), Wire.TYPE_ANY, all, data, ttl));
    }
    MessageWriter soaWriter = new MessageWriter(false);
    soaWriter.record(origin, ttl, soa);
    return new ZoneIndex(zone, names, soaWriter.toByteArray());
  }

  private static byte[] template(String name, int qtype, List<Rdata> answers,
      Map<String, Map<Integer, List<Rdata>>> data, int ttl) {
    List<String> owners = new ArrayList<>();
    List<Rdata> additional = new ArrayList<>();
    if (qtype != Wire.TYPE_ANY) {
      Set<String> targets = new LinkedHashSet<>();
      for (Rdata r : answers) {
        if (r instanceof Rdata.Srv srv) {
          targets.add(srv.target());
        } else if (r instanceof Rdata.Ns ns) {
          targets.add(ns.host());
        }
      }
      for (String target : targets) {
        Map<Integer, List<Rdata>> of = data.getOrDefault(target, Map.of());
        for (int t : new int[] {Wire.TYPE_A, Wire.TYPE_AAAA}) {
          for (Rdata r : of.getOrDefault(t, List.of())) {
            owners.add(target);
            additional.add(r);
          }
        }
      }
    }
    MessageWriter w = new MessageWriter(true);
    w.u16(0);
    w.u16((Wire.FLAG_QR | Wire.FLAG_AA) << 8);
    w.u16(1);
    w.u16(answers.size());
    w.u16(0);
    w.u16(additional.size());
    w.name(name);
    w.u16(qtype);
    w.u16(Wire.CLASS_IN);
    for (Rdata r : answers) {
      w.record(name, ttl, r);
    }
    for (int i = 0; i < additional.size(); i++) {
      w.record(owners.get(i), ttl, additional.get(i));
    }
    return w.toByteArray();
  }

  private static void add(Map<String, Map<Integer, List<Rdata>>> data, String name, Rdata r) {
    data.computeIfAbsent(name, n -> new LinkedHashMap<>())
        .computeIfAbsent(r.type(), t -> new ArrayList<>()).add(r);
  }

  private static Rdata address(InetAddress a) {
    return a instanceof Inet4Address ? new Rdata.A(a.getAddress()) : new Rdata.Aaaa(a.getAddress());
  }

  private static String parent(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static ByteBuffer key(String dotted) {
    return ByteBuffer.wrap(MessageWriter.wireName(dotted));
  }
}
