package io.wharf.dns.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The wire format answered for hand-built packets: exact bytes, malformed input, fuzzing. */
class ResponderTest {

  private static final Zone ZONE = new Zone("wharf", 5, null);
  private static final ZoneIndex INDEX;

  static {
    try {
      INDEX = ZoneIndex.build(ZONE, new DnsRecords(9, List.of(new ServiceEndpoints("default", "web",
          List.of(new Endpoint("web-a", InetAddress.getByName("10.0.0.1"), List.of(EndpointPort.tcp("http", 80))))))));
    } catch (java.net.UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A query: id 0x1234, RD set, one question, optional extra bytes (records) and counts. */
  static byte[] query(String name, int type, int flags, int arcount, byte[] additional) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x12);
    out.write(0x34);
    out.write(flags >>> 8);
    out.write(flags);
    out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, (byte) arcount});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    out.write(0);
    out.write(type >>> 8);
    out.write(type);
    out.writeBytes(new byte[] {0, 1});
    out.writeBytes(additional);
    return out.toByteArray();
  }

  static byte[] query(String name, int type) {
    return query(name, type, 0x0100, 0, new byte[0]);
  }

  static byte[] opt(int payload, int version) {
    return new byte[] {0, 0, 41, (byte) (payload >>> 8), (byte) payload, 0, (byte) version, 0, 0, 0, 0};
  }

  static byte[] send(byte[] packet, boolean udp) {
    Reply r = Responder.respond(INDEX, packet, packet.length, udp, 1232, false);
    assertThat(r).isInstanceOf(Reply.Send.class);
    return ((Reply.Send) r).message();
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void anAQueryGetsTheExactReplyWithItsIdFlagsAndQuestionCase() {
    byte[] reply = send(query("Web.DEFAULT.wharf", Wire.TYPE_A), true);

    assertThat(hex(reply)).isEqualTo(
        "1234" + "8500" + "0001" + "0001" + "0000" + "0000" // id, QR AA RD, 1 question, 1 answer
            + "03576562" + "0744454641554c54" + "05776861726600" + "0001" + "0001" // question as asked
            + "c00c" + "0001" + "0001" + "00000005" + "0004" + "0a000001"); // web... A 10.0.0.1, TTL 5
  }

  @Test
  void withoutRecursionDesiredTheReplyDoesNotClaimIt() {
    byte[] reply = send(query("web.default.wharf", Wire.TYPE_A, 0x0000, 0, new byte[0]), true);
    assertThat(reply[2] & 0xff).isEqualTo(0x84);
  }

  @Test
  void anSrvReplyCarriesTheTargetUncompressedAndItsAddressAsAdditional() {
    byte[] reply = send(query("_http._tcp.web.default.wharf", Wire.TYPE_SRV), true);

    assertThat(Wire.u16(reply, 6)).isEqualTo(1);
    assertThat(Wire.u16(reply, 10)).isEqualTo(1);
    String target = "05" + hex("web-a".getBytes(StandardCharsets.US_ASCII)) + "03776562" + "0764656661756c74"
        + "05776861726600";
    assertThat(hex(reply)).contains("0000" + "0001" + "0050" + target); // priority 0, weight 1, port 80
    assertThat(hex(reply)).endsWith("0001" + "0001" + "00000005" + "0004" + "0a000001");
  }

  @Test
  void anEdnsQueryGetsAnOptRecordAndAnUnknownVersionBadvers() {
    byte[] reply = send(query("web.default.wharf", Wire.TYPE_A, 0x0100, 1, opt(4096, 0)), true);
    assertThat(Wire.u16(reply, 10)).isEqualTo(1);
    assertThat(hex(reply)).endsWith("00" + "0029" + "04d0" + "00000000" + "0000"); // OPT, udp 1232

    byte[] badvers = send(query("web.default.wharf", Wire.TYPE_A, 0x0100, 1, opt(4096, 1)), true);
    assertThat(badvers[3] & 0x0f).isZero();
    assertThat(Wire.u16(badvers, 6)).isZero();
    assertThat(hex(badvers)).endsWith("00" + "0029" + "04d0" + "01000000" + "0000"); // extended rcode 16
  }

  @Test
  void nxdomainAndNodataCarryTheSoaInAuthority() {
    byte[] nx = send(query("nope.default.wharf", Wire.TYPE_A), true);
    assertThat(nx[3] & 0x0f).isEqualTo(Wire.RCODE_NXDOMAIN);
    assertThat(Wire.u16(nx, 6)).isZero();
    assertThat(Wire.u16(nx, 8)).isEqualTo(1);

    byte[] nodata = send(query("web.default.wharf", Wire.TYPE_AAAA), true);
    assertThat(nodata[3] & 0x0f).isEqualTo(Wire.RCODE_NOERROR);
    assertThat(Wire.u16(nodata, 6)).isZero();
    assertThat(Wire.u16(nodata, 8)).isEqualTo(1);
    assertThat(hex(nodata)).contains("05776861726600" + "0006" + "0001" + "00000005"); // wharf SOA IN 5
  }

  @Test
  void aNameOutsideTheZoneIsRefusedOrForwarded() {
    byte[] packet = query("example.com", Wire.TYPE_A);
    byte[] refused = send(packet, true);
    assertThat(refused[3] & 0x0f).isEqualTo(Wire.RCODE_REFUSED);
    assertThat(refused[2] & Wire.FLAG_AA).isZero();

    assertThat(Responder.respond(INDEX, packet, packet.length, true, 1232, true)).isEqualTo(Reply.FORWARD);
  }

  @Test
  void aNotifyOrUpdateIsNotImplemented() {
    byte[] reply = send(query("web.default.wharf", Wire.TYPE_A, 0x2000, 0, new byte[0]), true); // opcode 4
    assertThat(reply[3] & 0x0f).isEqualTo(Wire.RCODE_NOTIMP);
  }

  static List<Arguments> malformed() {
    byte[] good = query("web.default.wharf", Wire.TYPE_A);
    byte[] twoQuestions = good.clone();
    twoQuestions[5] = 2;
    byte[] pointer = HexFormat.of().parseHex("12340100000100000000000003776562c00c00010001");
    byte[] cutName = java.util.Arrays.copyOf(good, 20);
    byte[] cutType = java.util.Arrays.copyOf(good, good.length - 2);
    byte[] twoOpts = query("web.default.wharf", Wire.TYPE_A, 0x0100, 2, concat(opt(512, 0), opt(512, 0)));
    byte[] optPastEnd = query("web.default.wharf", Wire.TYPE_A, 0x0100, 1, java.util.Arrays.copyOf(opt(512, 0), 8));
    byte[] longName = query("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63)
        + ".wharf", Wire.TYPE_A);
    byte[] extendedLabel = HexFormat.of().parseHex("1234010000010000000000004177656200" + "00010001");
    return List.of(
        Arguments.of("two questions", twoQuestions),
        Arguments.of("a compression pointer in the question", pointer),
        Arguments.of("a name cut short", cutName),
        Arguments.of("type and class missing", cutType),
        Arguments.of("two OPT records", twoOpts),
        Arguments.of("an OPT record past the end", optPastEnd),
        Arguments.of("a name longer than 255 bytes", longName),
        Arguments.of("an extended label type", extendedLabel));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedQueryIsFormerrWithItsId(String why, byte[] packet) {
    byte[] reply = send(packet, true);
    assertThat(hex(reply)).isEqualTo("1234" + "8101" + "0000" + "0000" + "0000" + "0000");
  }

  @Test
  void aPacketTooShortForAHeaderOrThatIsAReplyIsDropped() {
    byte[] shortPacket = {0x12, 0x34, 0x01};
    assertThat(Responder.respond(INDEX, shortPacket, shortPacket.length, true, 1232, false))
        .isEqualTo(new Reply.Drop("shorter than a header"));
    byte[] reply = send(query("web.default.wharf", Wire.TYPE_A), true);
    assertThat(Responder.respond(INDEX, reply, reply.length, true, 1232, false))
        .isEqualTo(new Reply.Drop("a reply, not a query"));
  }

  @Test
  void randomBytesNeverThrowAndAnySentReplyIsAReplyWithTheQueryId() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] good = query("_http._tcp.web.default.wharf", Wire.TYPE_SRV, 0x0100, 1, opt(1232, 0));
    for (int i = 0; i < 20_000; i++) {
      byte[] packet;
      if (random.nextBoolean()) {
        packet = new byte[random.nextInt(80)];
        random.nextBytes(packet);
      } else {
        packet = good.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
        }
        packet = java.util.Arrays.copyOf(packet, random.nextInt(packet.length + 1));
      }
      Reply reply;
      try {
        reply = Responder.respond(INDEX, packet, packet.length, random.nextBoolean(), 1232, false);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ", packet " + hex(packet), e);
      }
      if (reply instanceof Reply.Send send) {
        assertThat(send.message().length).as("seed %d", seed).isGreaterThanOrEqualTo(12);
        assertThat(send.message()[0]).as("seed %d", seed).isEqualTo(packet[0]);
        assertThat(send.message()[2] & Wire.FLAG_QR).as("seed %d", seed).isNotZero();
      }
    }
  }

  @Test
  void anAnswerLargerThanTheUdpLimitIsTruncatedOverUdpOnly() throws Exception {
    java.util.ArrayList<Endpoint> many = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(new Endpoint("w" + i, InetAddress.getByName("10.0.1." + i), List.of()));
    }
    ZoneIndex index = ZoneIndex.build(ZONE, new DnsRecords(1, List.of(new ServiceEndpoints("default", "web", many))));
    byte[] packet = query("web.default.wharf", Wire.TYPE_A);

    byte[] udp = ((Reply.Send) Responder.respond(index, packet, packet.length, true, 1232, false)).message();
    assertThat(udp[2] & Wire.FLAG_TC).isNotZero();
    assertThat(Wire.u16(udp, 6)).isZero();
    assertThat(udp.length).isLessThanOrEqualTo(512);

    byte[] tcp = ((Reply.Send) Responder.respond(index, packet, packet.length, false, 1232, false)).message();
    assertThat(tcp[2] & Wire.FLAG_TC).isZero();
    assertThat(Wire.u16(tcp, 6)).isEqualTo(40);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
