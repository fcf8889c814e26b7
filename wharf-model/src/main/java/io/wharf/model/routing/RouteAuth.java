package io.wharf.model.routing;

import io.wharf.model.Frozen;
import java.util.List;

/**
 * Edge authentication. Only {@code jwt} exists: requests need a bearer token signed by Wharf's
 * token issuer (or {@code issuer} when set) whose audience includes one of {@code audiences}.
 */
public record RouteAuth(String type, String issuer, List<String> audiences) {
    public RouteAuth {
        audiences = Frozen.list(audiences);
    }
}
