package io.wharf.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.RouteAuth;
import io.wharf.model.routing.RouteSpec;
import io.wharf.testkit.net.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtGatewayTest {
  private static final String ISSUER = "https://issuer.test";
  private final HttpClient http = HttpClient.newHttpClient();
  private final SwappableSource source = new SwappableSource();
  private TestBackend backend;
  private Gateway gateway;
  private RSAKey key;
  private RSAKey otherKey;

  @BeforeEach
  void setUp() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    backend = new TestBackend("api");
    gateway = Gateway.start(GatewaySettings.listen("127.0.0.1", LoopbackPorts.free(), "127.0.0.1", -1)
        .withEventLoops(1), source);
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    RouteSpec route = new RouteSpec(null, "/", List.of(new Backend("api", "http", 100)), false, null, 0, null,
        new RouteAuth("jwt", ISSUER, List.of("shop"), null, pem, List.of("RS256")));
    source.set(new Snapshots().service("api", backend.port).route("api", route).build());
  }

  @AfterEach
  void tearDown() {
    gateway.close();
    backend.close();
    http.shutdownNow();
  }

  private String token(RSAKey signer, String audience, Instant expires) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
        new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(audience)
            .expirationTime(Date.from(expires)).build());
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }

  private HttpResponse<String> call(String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/x"))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void validTokenIsAccepted() throws Exception {
    HttpResponse<String> r = call("Bearer " + token(key, "shop", Instant.now().plusSeconds(300)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(backend.requests.get()).isEqualTo(1);
  }

  @Test
  void missingTokenIsChallenged() throws Exception {
    HttpResponse<String> r = call(null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"wharf\"");
  }

  @Test
  void unsignedAlgNoneTokenIsRefused() throws Exception {
    String none = new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).audience("shop")
        .expirationTime(Date.from(Instant.now().plusSeconds(300))).build()).serialize();
    assertRefused(call("Bearer " + none), "Unsecured (plain) JWTs are rejected");
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    assertRefused(call("Bearer " + token(key, "shop", Instant.now().minusSeconds(3600))), "Expired JWT");
  }

  @Test
  void tokenSignedWithAnotherKeyIsRefused() throws Exception {
    assertRefused(call("Bearer " + token(otherKey, "shop", Instant.now().plusSeconds(300))), "Signed JWT rejected: Invalid signature");
  }

  @Test
  void tokenForAnotherAudienceIsRefused() throws Exception {
    assertRefused(call("Bearer " + token(key, "billing", Instant.now().plusSeconds(300))), "JWT aud claim rejected");
  }

  @Test
  void aRouteWithAJwksUrlChecksTokensAgainstTheFetchedKeys() throws Exception {
    com.sun.net.httpserver.HttpServer jwks = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", LoopbackPorts.free()), 10);
    byte[] keySet = new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString().getBytes();
    jwks.createContext("/jwks.json", ex -> {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, keySet.length);
      ex.getResponseBody().write(keySet);
      ex.close();
    });
    jwks.start();
    try {
      RouteSpec route = new RouteSpec(null, "/", List.of(new Backend("api", "http", 100)), false, null, 0, null,
          new RouteAuth("jwt", ISSUER, List.of("shop"),
              "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json", null, List.of("RS256")));
      source.set(new Snapshots().service("api", backend.port).route("api", route).build());
      assertThat(call("Bearer " + token(key, "shop", Instant.now().plusSeconds(300))).statusCode()).isEqualTo(200);
      assertRefusedAfter(call("Bearer " + token(otherKey, "shop", Instant.now().plusSeconds(300))),
          "Signed JWT rejected: Invalid signature", 1);
    } finally {
      jwks.stop(0);
    }
  }

  private void assertRefusedAfter(HttpResponse<String> r, String reason, int backendRequests) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains(reason);
    assertThat(backend.requests.get()).isEqualTo(backendRequests);
  }

  private void assertRefused(HttpResponse<String> r, String reason) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Bearer realm=\"wharf\", error=\"invalid_token\", error_description=\"")
        .contains(reason);
    assertThat(backend.requests.get()).isZero();
  }
}
