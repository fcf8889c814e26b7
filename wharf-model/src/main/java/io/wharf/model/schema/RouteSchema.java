package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.routing.Backend;
import io.wharf.model.routing.LoadBalancing;
import io.wharf.model.routing.RateLimit;
import io.wharf.model.routing.RouteAuth;
import io.wharf.model.routing.RouteSpec;
import io.wharf.model.validation.Names;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Routes. One backend as {@code service} + {@code port}, or several weighted {@code backends}
 * (canary splits); routes written inside a service name no service (it is implied).
 */
public final class RouteSchema {
    private RouteSchema() {}

    /** Default weight of a backend; weights are relative. */
    public static final int DEFAULT_WEIGHT = 100;
    /** Signature algorithms a route may pin (asymmetric only: the gateway holds public keys). */
    public static final List<String> JWT_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Reads a route; {@code impliedService} is the enclosing service for inline routes, else null. */
    public static RouteSpec read(Fields f, String impliedService) {
        String host = f.string("host");
        if (host != null && (host.length() > 253 || !HOST.matcher(host).matches())) {
            f.problem("host", "invalid host name \"" + host + "\"");
        }
        String path = f.string("path", "/");
        if (!path.startsWith("/")) f.problem("path", "must start with /, got \"" + path + "\"");
        List<Backend> backends;
        if (impliedService != null) {
            String port = port(f, "port");
            f.problems().refer("backend", impliedService, f.path(), port, f.path("port"));
            backends = List.of(new Backend(impliedService, port, DEFAULT_WEIGHT));
        } else if (f.has("backends")) {
            if (f.has("service")) f.problem("service", "use either service/port or backends, not both");
            backends = f.list("backends", (t, p) -> backend(t, p, f.problems()));
            if (backends.isEmpty() && f.take("backends") instanceof Tree.Sequence s && s.items().isEmpty()) {
                f.problem("backends", "needs at least one backend");
            } else if (!backends.isEmpty() && backends.stream().allMatch(b -> b.weight() == 0)) {
                f.problem("backends", "at least one backend needs a weight > 0");
            }
        } else {
            String service = f.name("service", false);
            if (service == null && !f.has("service")) f.problem("service", "is required (or backends)");
            String port = port(f, "port");
            if (service != null) f.problems().refer("backend", service, f.path("service"), port, f.path("port"));
            backends = service == null ? List.of() : List.of(new Backend(service, port, DEFAULT_WEIGHT));
        }
        boolean strip = f.bool("stripPrefix", false);
        Duration timeout = f.positiveDuration("timeout", RouteSpec.DEFAULT_TIMEOUT);
        int retries = f.integer("retries", 0, 0, 10);
        RateLimit rateLimit = rateLimit(f);
        RouteAuth auth = auth(f);
        Map<String, String> headers = headers(f);
        int priority = f.integer("priority", 0, 0, 1000);
        LoadBalancing balancing = f.choice("loadBalancing", LoadBalancing.class, LoadBalancing.ROUND_ROBIN);
        boolean retryAll = f.bool("retryNonIdempotent", false);
        return new RouteSpec(host, path, backends, strip, timeout, retries, rateLimit, auth, headers, priority,
                balancing, retryAll);
    }

    private static Backend backend(Tree t, String path, Problems problems) {
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        String service = f.name("service", true);
        String port = port(f, "port");
        if (service != null) problems.refer("backend", service, f.path("service"), port, f.path("port"));
        int weight = f.integer("weight", DEFAULT_WEIGHT, 0, 10_000);
        f.finish();
        return service == null ? null : new Backend(service, port, weight);
    }

    /** A port name or number, kept as text; existence is checked against the service in the stack. */
    static String port(Fields f, String key) {
        Tree t = f.take(key);
        if (t == null) return null;
        if (!(t instanceof Tree.Scalar s)) {
            f.problem(key, "must be a port name or number, got " + t.describe());
            return null;
        }
        String v = s.text().trim();
        if (v.matches("\\d{1,6}")) {
            int n = Integer.parseInt(v);
            if (n < 1 || n > 65535) {
                f.problem(key, "must be between 1 and 65535");
                return null;
            }
            return Integer.toString(n);
        }
        var bad = Names.dnsLabelProblem(v);
        if (bad.isPresent()) {
            f.problem(key, bad.get());
            return null;
        }
        return v;
    }

    /** Request headers to match: name (an HTTP token, kept lowercase) → exact value. */
    private static Map<String, String> headers(Fields f) {
        Map<String, String> out = new TreeMap<>();
        f.stringMap("headers").forEach((name, value) -> {
            if (!TOKEN.matcher(name).matches()) f.problem("headers", "invalid header name \"" + name + "\"");
            else out.put(name.toLowerCase(Locale.ROOT), value);
        });
        return out;
    }

    private static RateLimit rateLimit(Fields parent) {
        if (!parent.has("rateLimit")) return null;
        Fields f = Fields.of(parent.take("rateLimit"), parent.path("rateLimit"), parent.problems());
        if (!f.has("requests")) f.problem("requests", "is required");
        int requests = f.integer("requests", 1, 1, 1_000_000);
        Duration per = f.positiveDuration("per", Duration.ofSeconds(1));
        int burst = f.integer("burst", requests, 0, 1_000_000);
        String keyHeader = f.string("keyHeader");
        if (keyHeader != null && !TOKEN.matcher(keyHeader).matches()) {
            f.problem("keyHeader", "invalid header name \"" + keyHeader + "\"");
            keyHeader = null;
        }
        f.finish();
        return new RateLimit(requests, per, burst, keyHeader == null ? null : keyHeader.toLowerCase(Locale.ROOT));
    }

    /** {@code auth: jwt} or {@code auth: {type: jwt, issuer, audiences}}. */
    private static RouteAuth auth(Fields parent) {
        Tree t = parent.take("auth");
        if (t == null) return null;
        if (t instanceof Tree.Scalar s) {
            if (!s.text().equals("jwt")) {
                parent.problem("auth", "must be one of jwt, got " + t.describe());
                return null;
            }
            return new RouteAuth("jwt", null, List.of());
        }
        Fields f = Fields.of(t, parent.path("auth"), parent.problems());
        if (!f.isMapping()) return null;
        String type = f.string("type", "jwt");
        if (!type.equals("jwt")) f.problem("type", "must be one of jwt, got \"" + type + "\"");
        String issuer = f.string("issuer");
        List<String> audiences = f.words("audiences");
        String jwksUrl = f.string("jwksUrl");
        if (jwksUrl != null && !jwksUrl.startsWith("http://") && !jwksUrl.startsWith("https://")) {
            f.problem("jwksUrl", "must be an http:// or https:// URL, got \"" + jwksUrl + "\"");
        }
        String publicKey = f.string("publicKey");
        if (jwksUrl != null && publicKey != null) f.problem("publicKey", "use either jwksUrl or publicKey, not both");
        if (publicKey != null && !publicKey.contains("-----BEGIN PUBLIC KEY-----")) {
            f.problem("publicKey", "must be a PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        List<String> algorithms = f.words("algorithms");
        for (String a : algorithms) {
            if (!JWT_ALGORITHMS.contains(a)) {
                f.problem("algorithms", "unsupported algorithm \"" + a + "\" (one of " + String.join(", ", JWT_ALGORITHMS) + ")");
            }
        }
        f.finish();
        return new RouteAuth("jwt", issuer, audiences, jwksUrl, publicKey, algorithms);
    }
}
