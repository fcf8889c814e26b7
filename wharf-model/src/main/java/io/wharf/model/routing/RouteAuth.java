package io.wharf.model.routing;

import io.wharf.model.Frozen;
import java.util.List;

/**
 * Edge authentication. Only {@code jwt} exists: requests need a bearer token signed with one of
 * {@code algorithms} by a key from {@code jwksUrl} or the configured {@code publicKey} (PEM),
 * not expired, issued by {@code issuer} when set, with an audience among {@code audiences}
 * when that list is not empty.
 */
public record RouteAuth(String type, String issuer, List<String> audiences, String jwksUrl, String publicKey,
                        List<String> algorithms) {
    /** Algorithms accepted when a route names none. */
    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");

    public RouteAuth {
        audiences = Frozen.list(audiences);
        algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : List.copyOf(algorithms);
    }

    public RouteAuth(String type, String issuer, List<String> audiences) {
        this(type, issuer, audiences, null, null, null);
    }
}
