package io.wharf.agent.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a call to the agent endpoint comes from a server: it must carry
 * {@code Authorization: Bearer <jwt>} minted by a server for this call (wharf-server
 * {@code auth.jwt.AgentCallTokens}, whose names this class repeats: the agent does not depend on
 * the server).
 *
 * <p>Checks, in order, each refusal with its own message. 401: no bearer ({@code missing bearer
 * token}), it parses ({@code malformed token}), is signed ({@code algorithm none refused}) with
 * exactly ES256 ({@code algorithm HS256 refused; tokens are signed ES256}), names a key id
 * ({@code token has no key id}) the servers publish ({@code unknown key id}), the signature holds
 * ({@code bad signature}), {@code iss} is {@value #ISSUER} ({@code wrong issuer}), {@code aud} is
 * {@code agent:<this node>} ({@code wrong audience}), {@code exp} is present and not passed
 * ({@code token expired}) and at most {@link #MAX_LIFETIME} away ({@code token lifetime over the
 * cap}), {@code nbf} has come ({@code token not yet valid}). 403: the token names another instance
 * ({@code token is for instance shop/web-1, not shop/web-2}) or action ({@code token is for logs,
 * not exec}). Clocks may disagree by {@link #CLOCK_SKEW}.
 *
 * <p>Keys: the servers' JWKS ({@code GET /v1/auth/jwks}, through {@code jwks}) is fetched on first
 * use and cached; a key id the cache does not know (a server rotated its key) fetches it again, at
 * most once per {@link #REFETCH_INTERVAL} (a call that comes sooner waits for the next slot), so a
 * stream of forged key ids cannot turn the agent into a load on the servers. A fetch that fails
 * keeps the keys known before. Keys are fetched again on the first call after {@link #KEYS_TTL},
 * so a key the servers dropped from the JWKS (retired past its retention) stops verifying here too.
 * Only P-256 keys count.
 *
 * <p>Thread safety: safe for concurrent use; a lock serialises fetches (a blocking call), and
 * verification reads an immutable snapshot of the keys. Under a flood of unknown key ids, calls
 * with such ids queue on that lock (each on its own virtual thread).
 */
public final class AgentCallVerifier {
    private static final Logger log = LoggerFactory.getLogger(AgentCallVerifier.class);
    static final String ISSUER = "wharf";
    static final String AUDIENCE_PREFIX = "agent:";
    static final String INSTANCE_CLAIM = "wharf.io/agent-instance";
    static final String ACTION_CLAIM = "wharf.io/agent-action";
    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Servers mint 60 s tokens; anything far longer was not made by a server. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    public static final Duration REFETCH_INTERVAL = Duration.ofSeconds(2);
    /** How long fetched keys are trusted before the next call fetches them again. */
    public static final Duration KEYS_TTL = Duration.ofMinutes(5);

    /** A refused call: the HTTP status (401 or 403) and the message the caller sees. */
    public static final class Refusal extends RuntimeException {
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The allowed call: who the server said the caller is ({@code user:alice}). */
    public record Caller(String subject) {}

    private final String audience;
    private final Supplier<JsonNode> jwks;
    private final InstantSource clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Map<String, ECKey> keys = Map.of();
    private volatile Instant fetchedAt;

    /**
     * @param node this agent's node name (tokens must be for {@code agent:<node>})
     * @param jwks fetches the servers' JWKS document (the agent's API client)
     */
    public AgentCallVerifier(String node, Supplier<JsonNode> jwks, InstantSource clock) {
        this.audience = AUDIENCE_PREFIX + Objects.requireNonNull(node, "node");
        this.jwks = Objects.requireNonNull(jwks, "jwks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The caller of {@code action} ({@code logs}, {@code exec}) on instance {@code namespace/name},
     * given the request's {@code Authorization} header (null when absent).
     *
     * @throws Refusal 401 or 403 with the reason
     */
    public Caller verify(String authorization, String namespace, String name, String action) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw unauthenticated("missing bearer token");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(authorization.substring(7).trim());
        } catch (ParseException e) {
            throw unauthenticated("malformed token");
        }
        if (parsed instanceof PlainJWT) throw unauthenticated("algorithm none refused");
        if (!(parsed instanceof SignedJWT jwt)) throw unauthenticated("malformed token");
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHM.equals(alg)) {
            throw unauthenticated("algorithm " + alg + " refused; tokens are signed " + ALGORITHM);
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null) throw unauthenticated("token has no key id");
        ECKey key = key(kid);
        try {
            if (!jwt.verify(new ECDSAVerifier(key))) throw unauthenticated("bad signature");
        } catch (JOSEException e) {
            throw unauthenticated("bad signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthenticated("malformed token");
        }
        if (!ISSUER.equals(claims.getIssuer())) throw unauthenticated("wrong issuer");
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) throw unauthenticated("wrong audience");
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw unauthenticated("token has no expiry");
        if (!exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) throw unauthenticated("token expired");
        if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
            throw unauthenticated("token lifetime over the cap");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) throw unauthenticated("token not yet valid");
        String target = namespace + "/" + name;
        Object instance = claims.getClaim(INSTANCE_CLAIM);
        if (!target.equals(instance)) {
            throw new Refusal(403, "token is for instance " + (instance instanceof String s ? s : "(none)") + ", not "
                    + target);
        }
        Object granted = claims.getClaim(ACTION_CLAIM);
        if (!action.equals(granted)) {
            throw new Refusal(403, "token is for " + (granted instanceof String s ? s : "(no action)") + ", not "
                    + action);
        }
        return new Caller(String.valueOf(claims.getSubject()));
    }

    private ECKey key(String kid) {
        ECKey known = keys.get(kid);
        if (known != null && fresh()) return known;
        fetching.lock();
        try {
            known = keys.get(kid); // another request may have fetched meanwhile
            if (known != null && fresh()) return known;
            if (fetchedAt != null) {
                // A fetch was made lately: wait for the next slot (once), so a freshly rotated key
                // still verifies while forged key ids cost the servers at most one fetch per interval.
                Duration wait = Duration.between(clock.instant(), fetchedAt.plus(REFETCH_INTERVAL));
                if (wait.isPositive()) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw unauthenticated("unknown key id");
                    }
                    known = keys.get(kid);
                    if (known != null) return known;
                }
            }
            fetchedAt = clock.instant();
            keys = fetch();
        } finally {
            fetching.unlock();
        }
        known = keys.get(kid);
        if (known == null) throw unauthenticated("unknown key id");
        return known;
    }

    /** Whether the cached keys are recent enough to trust (a key the servers dropped stops verifying). */
    private boolean fresh() {
        Instant at = fetchedAt;
        return at != null && at.plus(KEYS_TTL).isAfter(clock.instant());
    }

    private Map<String, ECKey> fetch() {
        JsonNode document;
        try {
            document = jwks.get();
        } catch (RuntimeException e) {
            log.warn("cannot fetch the servers' signing keys: {}", e.getMessage());
            return keys; // keep what we had; the next unknown kid tries again after the interval
        }
        try {
            var out = new java.util.HashMap<String, ECKey>();
            for (JWK k : JWKSet.parse(document.toString()).getKeys()) {
                if (k instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) && ec.getKeyID() != null) {
                    out.put(ec.getKeyID(), ec.toPublicJWK());
                }
            }
            return Map.copyOf(out);
        } catch (ParseException e) {
            log.warn("the servers' signing keys cannot be read: {}", e.getMessage());
            return keys;
        }
    }

    private static Refusal unauthenticated(String message) {
        return new Refusal(401, message);
    }
}
