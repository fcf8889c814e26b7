package io.wharf.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.Principal;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {
  @TempDir Path dir;
  Store store;
  ManualClock clock = new ManualClock();
  SigningKeys keys;
  SignedTokens tokens;
  AtomicBoolean instanceRuns = new AtomicBoolean(true);
  JwtAuthenticator authenticator;

  @BeforeEach
  void start() {
    store = TestStores.open(dir);
    keys = new SigningKeys(store, ResourceCodec.json(), clock, Duration.ofHours(12));
    tokens = new SignedTokens(keys, clock);
    authenticator = new JwtAuthenticator(keys, clock, (ns, name, service) -> instanceRuns.get());
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private Optional<Principal> authenticate(String bearer) {
    return authenticator.authenticate(new Credentials(bearer, List.of(), "127.0.0.1"));
  }

  private void refused(String token, String message) {
    assertThatThrownBy(() -> authenticate(token)).isInstanceOf(AuthenticationException.class).hasMessage(message);
  }

  private JWTClaimsSet.Builder claims() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder().issuer("wharf").audience("wharf").subject("user:alice")
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
  }

  private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void aTokenItIssuedProvesItsSubject() {
    String token = tokens.issue(Principal.user("alice"), Duration.ofHours(1)).token();
    assertThat(authenticate(token)).contains(Principal.user("alice"));
  }

  @Test
  void bearersThatAreNotJwtsAreLeftToOtherAuthenticators() {
    assertThat(authenticate(null)).isEmpty();
    assertThat(authenticate("wharf_0123456789abcdef")).isEmpty();
    assertThat(authenticate("a.b.c.d.e")).isEmpty();
  }

  @Test
  void algorithmNoneIsRefused() {
    String token = new PlainJWT(claims().build()).serialize();
    assertThat(token).endsWith(".");
    refused(token, "algorithm none refused");
  }

  @Test
  void hmacSignedWithThePublicKeyIsRefused() throws Exception {
    // Algorithm confusion: a verifier that trusts the header would check this HMAC with the
    // public key's bytes as the secret, which everyone has.
    SigningKeys.CurrentKey current = keys.current();
    byte[] publicKey = current.jwk().toECPublicKey().getEncoded();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(current.kid()).build(),
        claims().build());
    jwt.sign(new MACSigner(publicKey));
    refused(jwt.serialize(), "algorithm HS256 refused; tokens are signed ES256");
  }

  @Test
  void aTokenSignedByAnotherKeyWithTheSameKidHasABadSignature() throws Exception {
    String kid = keys.current().kid();
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    refused(sign(other, claims().build()), "bad signature");
  }

  @Test
  void aTamperedPayloadHasABadSignature() {
    String token = tokens.issue(Principal.user("alice"), Duration.ofHours(1)).token();
    String[] parts = token.split("\\.");
    String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("user:alice", "user:admin").getBytes());
    refused(parts[0] + "." + forged + "." + parts[2], "bad signature");
  }

  @Test
  void anUnknownKeyIdIsRefused() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("nobody-knows-me").generate();
    refused(sign(stranger, claims().build()), "unknown key id");
  }

  @Test
  void anExpiredTokenIsRefusedOnceTheClockSkewHasPassed() {
    String token = tokens.issue(Principal.user("alice"), Duration.ofMinutes(10)).token();
    clock.advance(Duration.ofMinutes(10).plus(JwtAuthenticator.CLOCK_SKEW).minusSeconds(1));
    assertThat(authenticate(token)).contains(Principal.user("alice"));
    clock.advance(Duration.ofSeconds(1));
    refused(token, "token expired");
  }

  @Test
  void aTokenNotValidYetIsRefused() throws Exception {
    Instant later = clock.instant().plus(Duration.ofMinutes(5));
    refused(sign(keys.current().jwk(), claims().notBeforeTime(Date.from(later)).build()), "token not yet valid");
  }

  @Test
  void wrongIssuerAndWrongAudienceAreRefused() throws Exception {
    ECKey key = keys.current().jwk();
    refused(sign(key, claims().issuer("https://evil.example").build()), "wrong issuer");
    refused(sign(key, claims().audience("shop").build()), "wrong audience");
  }

  @Test
  void aTokenWithoutExpiryIsRefused() throws Exception {
    refused(sign(keys.current().jwk(), claims().expirationTime(null).build()), "token has no expiry");
  }

  @Test
  void aSubjectThatIsNoPrincipalIsRefused() throws Exception {
    refused(sign(keys.current().jwk(), claims().subject("alice").build()), "token subject is not a principal");
  }

  @Test
  void garbageWithThreePartsIsMalformed() {
    refused("not.a.token", "malformed token");
  }

  @Test
  void rotationSignsWithTheNewKeyAndOldTokensStayValidUntilTheyExpire() {
    SignedTokens.Issued old = tokens.issue(Principal.user("alice"), Duration.ofHours(2));
    String newKid = keys.rotate();
    assertThat(newKid).isNotEqualTo(old.kid());
    SignedTokens.Issued fresh = tokens.issue(Principal.user("bob"), Duration.ofHours(1));
    assertThat(fresh.kid()).isEqualTo(newKid);
    assertThat(authenticate(old.token())).contains(Principal.user("alice"));
    assertThat(authenticate(fresh.token())).contains(Principal.user("bob"));
    assertThat(keys.jwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid, old.kid());

    // Past the retention (the longest any token lives) a later rotation deletes the old key.
    clock.advance(Duration.ofHours(12));
    String third = keys.rotate();
    assertThat(keys.jwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(third, newKid);
    assertThat(keys.verificationKey(old.kid())).isEmpty();
  }

  @Test
  void anotherServerSeesTheRotatedKeyFromTheStore() {
    SigningKeys otherServer = new SigningKeys(store, ResourceCodec.json(), clock, Duration.ofHours(12));
    JwtAuthenticator other = new JwtAuthenticator(otherServer, clock, (ns, name, s) -> true);
    assertThat(otherServer.current().kid()).isEqualTo(keys.current().kid());
    other.verify(tokens.issue(Principal.user("alice"), Duration.ofHours(1)).token()); // caches the first key
    keys.rotate();
    String token = tokens.issue(Principal.user("alice"), Duration.ofHours(1)).token();
    assertThat(other.verify(token)).isEqualTo(Principal.user("alice"));
  }

  @Test
  void theJwksHoldsPublicKeysOnly() {
    String jwks = keys.jwks().toString(false);
    assertThat(jwks).contains("\"kty\":\"EC\"", "\"crv\":\"P-256\"", "\"kid\":\"" + keys.current().kid() + "\"");
    assertThat(jwks).doesNotContain("\"d\"");
  }

  @Test
  void lifetimesAreCappedAtTheKeysRetention() {
    assertThatThrownBy(() -> tokens.issue(Principal.user("alice"), Duration.ofHours(13)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token lifetime must be within (0, PT12H], got PT13H");
  }

  @Test
  void aWorkloadTokenStopsWorkingWhenItsInstanceStops() {
    String token = tokens.issue(Principal.service("default", "web"), Duration.ofHours(1), "default/web-1").token();
    assertThat(authenticate(token)).contains(Principal.service("default", "web"));
    instanceRuns.set(false);
    refused(token, "token's instance has stopped");
  }

  @Test
  void aTokenLivingLongerThanWharfEverIssuesIsRefused() throws Exception {
    Instant far = clock.instant().plus(Duration.ofHours(12)).plus(JwtAuthenticator.CLOCK_SKEW).plusSeconds(1);
    refused(sign(keys.current().jwk(), claims().expirationTime(Date.from(far)).build()), "token lifetime over the cap");
  }

  @Test
  void aKeyDeletedFromTheStoreStopsVerifyingOnceTheCacheLapses() {
    String token = tokens.issue(Principal.user("alice"), Duration.ofHours(2)).token();
    String kid = keys.current().kid();
    assertThat(authenticate(token)).isPresent(); // cached now
    store.txn(io.wharf.store.Txn.of(List.of(), List.of(new io.wharf.store.Txn.Delete(SigningKeys.PREFIX + kid))));
    clock.advance(SigningKeys.CACHE_TTL);
    refused(token, "unknown key id");
  }
}
