package io.wharf.model.schema;

import io.wharf.model.discovery.EndpointSpec;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Scalars;
import io.wharf.model.document.Tree;
import io.wharf.model.validation.Names;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** External endpoints: {@code service}, {@code address} (an IP literal) and named {@code ports}. */
public final class DiscoverySchema {
    private DiscoverySchema() {}

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    public static EndpointSpec endpoint(Fields f) {
        String service = f.name("service", true);
        String address = f.required("address");
        if (address != null && !isIpLiteral(address)) {
            f.problem("address", "must be an IPv4 or IPv6 address such as 10.0.0.5, got \"" + address + "\"");
            address = null;
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        f.entries("ports").forEach((name, node) -> {
            String path = Paths.field(f.path("ports"), name);
            Names.dnsLabelProblem(name).ifPresent(bad -> f.problems().add(path, "port name: " + bad));
            Integer port = Scalars.integer(node, path, f.problems(), 1, 65535);
            if (port != null) ports.put(name, port);
        });
        if (service == null || address == null) return null;
        return new EndpointSpec(service, address, ports);
    }

    /** True for an IPv4 dotted quad or an IPv6 literal; never looks a name up. */
    public static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) return true;
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) return false;
        try {
            // A string with ':' is parsed as an IPv6 literal, never resolved.
            return InetAddress.getByName(s).getAddress().length == 16;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }
}
