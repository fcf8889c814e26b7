package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * Discovery calls of docs/api.md: the derived endpoints view ({@code GET /v1/discovery},
 * {@code GET .../services/{name}/endpoints}) and the external {@code Endpoint} objects that add
 * addresses outside the cluster to it.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class DiscoveryApi {
  private final WharfClient client;

  public DiscoveryApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Every service's endpoints ({@code items}), in one namespace or (null) all, with the {@code revision} read. */
  public JsonNode all(String namespace) {
    String query = namespace == null ? "" : "?namespace=" + WharfClient.segment(namespace);
    return client.call(client.request("/v1/discovery" + query).GET());
  }

  /** One service's endpoints; 404 when neither a service nor an external endpoint has the name. */
  public JsonNode service(String namespace, String service) {
    return client.call(client.request("/v1/namespaces/" + WharfClient.segment(namespace) + "/services/"
        + WharfClient.segment(service) + "/endpoints").GET());
  }

  /** Registers an external endpoint {@code name} serving as {@code service} at {@code address}. */
  public JsonNode add(String namespace, String name, String service, String address, Map<String, Integer> ports) {
    ObjectNode o = client.newObject();
    o.put("kind", "Endpoint");
    o.putObject("metadata").put("name", name).put("namespace", namespace);
    ObjectNode spec = o.putObject("spec");
    spec.put("service", service).put("address", address);
    ObjectNode p = spec.putObject("ports");
    ports.forEach(p::put);
    return client.create("endpoints", namespace, o);
  }

  /** Removes the external endpoint {@code name}. */
  public JsonNode remove(String namespace, String name) {
    return client.delete("endpoints", namespace, name);
  }
}
