package io.wharf.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The verifier's key cache: fetched once, again for a new key id, and again once stale (a dropped key stops). */
class AgentCallVerifierTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T12:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<List<ECKey>> published = new AtomicReference<>();
    private final AgentCallVerifier verifier = new AgentCallVerifier("node-a", this::jwks, clock);

    @Test
    void keysAreFetchedOnceAndAgainForANewKeyId() throws Exception {
        ECKey first = key("k1");
        published.set(List.of(first));
        verifier.verify(bearer(first), "default", "web-1", "exec");
        verifier.verify(bearer(first), "default", "web-1", "exec");
        assertThat(fetches).hasValue(1);

        ECKey second = key("k2"); // a server rotated
        published.set(List.of(second, first));
        now.set(now.get().plus(AgentCallVerifier.REFETCH_INTERVAL));
        assertThat(verifier.verify(bearer(second), "default", "web-1", "exec").subject()).isEqualTo("user:alice");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aKeyTheServersDroppedStopsVerifyingOnceTheCacheIsStale() throws Exception {
        ECKey old = key("k1");
        published.set(List.of(old));
        verifier.verify(bearer(old), "default", "web-1", "exec");

        published.set(List.of(key("k2")));
        now.set(now.get().plus(AgentCallVerifier.KEYS_TTL).plusSeconds(1));
        String token = bearer(old); // minted now, so not expired
        assertThatThrownBy(() -> verifier.verify(token, "default", "web-1", "exec"))
                .isInstanceOfSatisfying(AgentCallVerifier.Refusal.class, r -> {
                    assertThat(r.status()).isEqualTo(401);
                    assertThat(r.getMessage()).isEqualTo("unknown key id");
                });
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aTokenLivingLongerThanServersMintIsRefused() throws Exception {
        ECKey k = key("k1");
        published.set(List.of(k));
        String token = bearer(k, now.get().plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> verifier.verify(token, "default", "web-1", "exec"))
                .hasMessage("token lifetime over the cap");
    }

    private JsonNode jwks() {
        fetches.incrementAndGet();
        try {
            return new ObjectMapper().readTree(new JWKSet(List.copyOf(published.get().stream()
                    .map(ECKey::toPublicJWK).toList())).toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey key(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    private String bearer(ECKey key) throws Exception {
        return bearer(key, now.get().plusSeconds(60));
    }

    private String bearer(ECKey key, Instant exp) throws Exception {
        var claims = new JWTClaimsSet.Builder().issuer("wharf").audience("agent:node-a").subject("user:alice")
                .issueTime(Date.from(now.get())).expirationTime(Date.from(exp))
                .claim(AgentCallVerifier.INSTANCE_CLAIM, "default/web-1")
                .claim(AgentCallVerifier.ACTION_CLAIM, "exec").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return "Bearer " + jwt.serialize();
    }
}
