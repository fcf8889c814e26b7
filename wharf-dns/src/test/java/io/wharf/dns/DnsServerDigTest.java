package io.wharf.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
import io.wharf.testkit.dns.Dig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real {@code dig} against a {@link DnsServer} on a free loopback port. */
class DnsServerDigTest {

  private DnsServer server;
  private Dig dig;

  @BeforeEach
  void start() {
    server = DnsServer.start(DnsConfig.defaults().withListen(new InetSocketAddress("127.0.0.1", 0)));
    server.update(records());
    dig = Dig.against(server.address().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static DnsRecords records() {
    List<Endpoint> big = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      big.add(new Endpoint("big-" + i, ip("127.1." + (i / 250) + "." + (i % 250 + 1)),
          List.of(EndpointPort.tcp("http", 9000 + i))));
    }
    return new DnsRecords(42, List.of(
        new ServiceEndpoints("default", "web", List.of(
            new Endpoint("web-a", ip("127.0.0.2"), List.of(EndpointPort.tcp("http", 8080),
                new EndpointPort("metrics", 9100, "udp"))),
            new Endpoint("web-b", ip("127.0.0.3"), List.of(EndpointPort.tcp("http", 8081))))),
        new ServiceEndpoints("default", "v6", List.of(new Endpoint("v6-a", ip("::1"), List.of()))),
        new ServiceEndpoints("default", "idle", List.of()),
        new ServiceEndpoints("shop", "big", big)));
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void answersAWithOneRecordPerReadyEndpointAuthoritativelyWithTheTtl() {
    Dig.Answer a = dig.query("web.default.wharf", "A");

    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.flags()).contains("qr", "aa").doesNotContain("tc");
    assertThat(a.answer()).containsExactlyInAnyOrder(
        "web.default.wharf A 127.0.0.2", "web.default.wharf A 127.0.0.3");
    assertThat(a.answerTtls()).containsOnly(5);
  }

  @Test
  void namesAreCaseInsensitiveAndTheQuestionKeepsItsCase() {
    Dig.Answer a = dig.query("WEB.Default.WharF", "a");

    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.answer()).containsExactlyInAnyOrder(
        "web.default.wharf A 127.0.0.2", "web.default.wharf A 127.0.0.3");
    assertThat(a.output()).contains(";WEB.Default.WharF.");
  }

  @Test
  void answersAaaaForIpv6EndpointsAndNodataForAOnAnIpv6OnlyService() {
    assertThat(dig.query("v6.default.wharf", "AAAA").answer()).containsExactly("v6.default.wharf AAAA ::1");

    Dig.Answer a = dig.query("v6.default.wharf", "A");
    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.answer()).isEmpty();
    assertThat(a.authority()).singleElement().asString().startsWith("wharf SOA ns.wharf hostmaster.wharf 42 ");
  }

  @Test
  void answersSrvPerEndpointWithTheTargetsAddressesInTheAdditionalSection() {
    Dig.Answer a = dig.query("_http._tcp.web.default.wharf", "SRV");

    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.answer()).containsExactlyInAnyOrder(
        "_http._tcp.web.default.wharf SRV 0 1 8080 web-a.web.default.wharf",
        "_http._tcp.web.default.wharf SRV 0 1 8081 web-b.web.default.wharf");
    assertThat(a.additional()).containsExactlyInAnyOrder(
        "web-a.web.default.wharf A 127.0.0.2", "web-b.web.default.wharf A 127.0.0.3");
    assertThat(dig.query("_metrics._udp.web.default.wharf", "SRV").answer())
        .containsExactly("_metrics._udp.web.default.wharf SRV 0 1 9100 web-a.web.default.wharf");
    assertThat(dig.query("web-b.web.default.wharf", "A").answer())
        .containsExactly("web-b.web.default.wharf A 127.0.0.3");
  }

  @Test
  void anUnknownNameUnderTheZoneIsNxdomainWithTheSoa() {
    for (String name : List.of("nope.default.wharf", "web.nowhere.wharf", "_ftp._tcp.web.default.wharf")) {
      Dig.Answer a = dig.query(name, "A");
      assertThat(a.status()).as(name).isEqualTo("NXDOMAIN");
      assertThat(a.flags()).contains("aa");
      assertThat(a.answer()).isEmpty();
      assertThat(a.authority()).singleElement().asString().startsWith("wharf SOA ns.wharf hostmaster.wharf 42 3600 600 86400 5");
    }
  }

  @Test
  void aNameThatExistsWithoutTheAskedTypeIsNodata() {
    // a type the name lacks; an empty non-terminal (a namespace); a service with no ready endpoint
    for (String[] q : List.of(new String[] {"web.default.wharf", "TXT"}, new String[] {"web.default.wharf", "SRV"},
        new String[] {"default.wharf", "A"}, new String[] {"_tcp.web.default.wharf", "SRV"},
        new String[] {"idle.default.wharf", "A"})) {
      Dig.Answer a = dig.query(q[0], q[1]);
      assertThat(a.status()).as(q[0] + " " + q[1]).isEqualTo("NOERROR");
      assertThat(a.answer()).as(q[0] + " " + q[1]).isEmpty();
      assertThat(a.authority()).as(q[0] + " " + q[1]).singleElement().asString().startsWith("wharf SOA ");
    }
  }

  @Test
  void theZoneApexHasSoaAndNs() {
    assertThat(dig.query("wharf", "SOA").answer())
        .containsExactly("wharf SOA ns.wharf hostmaster.wharf 42 3600 600 86400 5");
    Dig.Answer ns = dig.query("wharf", "NS");
    assertThat(ns.answer()).containsExactly("wharf NS ns.wharf");
    assertThat(ns.additional()).containsExactly("ns.wharf A 127.0.0.1");
  }

  @Test
  void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() {
    Dig.Answer truncated = dig.query("big.shop.wharf", "A", "+noedns", "+ignore");
    assertThat(truncated.status()).isEqualTo("NOERROR");
    assertThat(truncated.flags()).contains("tc");
    assertThat(truncated.answer()).isEmpty();

    // dig, like a resolver, retries over TCP when it sees TC.
    Dig.Answer retried = dig.query("big.shop.wharf", "A", "+noedns");
    assertThat(retried.flags()).doesNotContain("tc");
    assertThat(retried.answer()).hasSize(100);

    Dig.Answer tcp = dig.query("_http._tcp.big.shop.wharf", "SRV", "+tcp");
    assertThat(tcp.answer()).hasSize(100);
    assertThat(tcp.additional()).hasSize(100);
  }

  @Test
  void edns0RaisesTheUdpLimitToTheRequestorsPayloadSizeCappedAtOurs() {
    // 60 A records (~1 KB) fit EDNS0's 1232 bytes but not 512; 100 fit neither.
    server.update(new DnsRecords(43, List.of(new ServiceEndpoints("shop", "mid",
        records().services().get(3).endpoints().subList(0, 60)))));

    Dig.Answer edns = dig.query("mid.shop.wharf", "A", "+bufsize=1232", "+ignore");
    assertThat(edns.flags()).doesNotContain("tc");
    assertThat(edns.answer()).hasSize(60);
    assertThat(edns.ednsVersion()).isZero();
    assertThat(edns.ednsUdp()).isEqualTo(1232);

    Dig.Answer small = dig.query("mid.shop.wharf", "A", "+bufsize=512", "+ignore");
    assertThat(small.flags()).contains("tc");
    assertThat(small.ednsVersion()).isZero();

    Dig.Answer huge = dig.query("mid.shop.wharf", "A", "+bufsize=65000", "+ignore");
    assertThat(huge.flags()).doesNotContain("tc");
    assertThat(huge.ednsUdp()).isEqualTo(1232);
  }

  @Test
  void edns0IsEchoedOnlyWhenAskedAndAnUnknownVersionIsBadvers() {
    assertThat(dig.query("web.default.wharf", "A").ednsVersion()).isZero();
    assertThat(dig.query("web.default.wharf", "A", "+noedns").ednsVersion()).isEqualTo(-1);
    assertThat(dig.query("nope.default.wharf", "A").ednsVersion()).isZero();

    Dig.Answer badvers = dig.query("web.default.wharf", "A", "+edns=1", "+noednsnegotiation");
    assertThat(badvers.status()).isEqualTo("BADVERS");
    assertThat(badvers.answer()).isEmpty();
  }

  @Test
  void namesOutsideTheZoneAreRefused() {
    for (String name : List.of("example.com", "wharf.example.com", "xwharf")) {
      Dig.Answer a = dig.query(name, "A");
      assertThat(a.status()).as(name).isEqualTo("REFUSED");
      assertThat(a.flags()).doesNotContain("aa");
      assertThat(a.answer()).isEmpty();
    }
    assertThat(dig.query("example.com", "A", "+tcp").status()).isEqualTo("REFUSED");
    assertThat(dig.query("wharf", "AXFR").output()).contains("Transfer failed");
  }

  @Test
  void namesOutsideTheZoneAreForwardedToTheUpstreamOverUdpAndTcp() {
    try (DnsServer upstream = DnsServer.start(DnsConfig.defaults().withZone("corp")
            .withListen(new InetSocketAddress("127.0.0.1", 0)));
        DnsServer forwarding = DnsServer.start(DnsConfig.defaults().withListen(new InetSocketAddress("127.0.0.1", 0))
            .withUpstream(upstream.address()))) {
      upstream.update(new DnsRecords(7, List.of(new ServiceEndpoints("prod", "db",
          List.of(new Endpoint("db-1", ip("127.0.0.9"), List.of()))))));
      forwarding.update(records());
      Dig viaForwarder = Dig.against(forwarding.address().getPort());

      assertThat(viaForwarder.query("db.prod.corp", "A").answer()).containsExactly("db.prod.corp A 127.0.0.9");
      assertThat(viaForwarder.query("db.prod.corp", "A", "+tcp").answer()).containsExactly("db.prod.corp A 127.0.0.9");
      assertThat(viaForwarder.query("example.com", "A").status()).isEqualTo("REFUSED"); // the upstream's answer
      assertThat(viaForwarder.query("web.default.wharf", "A").answer()).hasSize(2);
    }
  }

  @Test
  void anUpstreamThatDoesNotAnswerGivesServfail() throws Exception {
    try (var silent = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DnsServer forwarding = DnsServer.start(new DnsConfig(new InetSocketAddress("127.0.0.1", 0), "wharf",
            java.time.Duration.ofSeconds(5), (InetSocketAddress) silent.getLocalSocketAddress(), 1, 1232, 16,
            java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(300)))) {
      assertThat(Dig.against(forwarding.address().getPort()).query("example.com", "A").status())
          .isEqualTo("SERVFAIL");
    }
  }

  @Test
  void anUpdateReplacesTheAnswers() {
    server.update(new DnsRecords(50, List.of(new ServiceEndpoints("default", "web",
        List.of(new Endpoint("web-c", ip("127.0.0.4"), List.of()))))));

    assertThat(dig.query("web.default.wharf", "A").answer()).containsExactly("web.default.wharf A 127.0.0.4");
    assertThat(dig.query("v6.default.wharf", "AAAA").status()).isEqualTo("NXDOMAIN");
  }

  @Test
  void malformedPacketsOverUdpAndTcpGetFormerrOrNothingAndTheServerKeepsAnswering() throws Exception {
    byte[] twoQuestions = {0x77, 0x66, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0};
    try (var udp = new java.net.DatagramSocket()) {
      udp.connect(server.address());
      udp.setSoTimeout(3000);
      udp.send(new java.net.DatagramPacket(new byte[] {1, 2, 3}, 3)); // too short for an id: dropped
      udp.send(new java.net.DatagramPacket(twoQuestions, twoQuestions.length));
      byte[] buffer = new byte[512];
      var reply = new java.net.DatagramPacket(buffer, buffer.length);
      udp.receive(reply); // the first datagram got no answer, so this is the FORMERR
      assertThat(java.util.HexFormat.of().formatHex(buffer, 0, reply.getLength()))
          .isEqualTo("7766" + "8101" + "000000000000" + "0000");
    }
    try (var tcp = new java.net.Socket()) {
      tcp.connect(server.address(), 3000);
      tcp.setSoTimeout(3000);
      var out = new java.io.DataOutputStream(tcp.getOutputStream());
      var in = new java.io.DataInputStream(tcp.getInputStream());
      out.writeShort(twoQuestions.length);
      out.write(twoQuestions);
      out.flush();
      byte[] formerr = new byte[in.readUnsignedShort()];
      in.readFully(formerr);
      assertThat(formerr[3] & 0x0f).isEqualTo(1);
      out.writeShort(0); // a zero length ends the connection
      out.flush();
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(dig.query("web.default.wharf", "A").answer()).hasSize(2);
    assertThat(dig.query("web.default.wharf", "A", "+tcp").answer()).hasSize(2);
  }
}
