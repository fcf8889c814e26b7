package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calls of "Authentication and authorisation" in docs/api.md: who am I, principals and
 * their grants, roles, API tokens. Principal ids ({@code user:alice}, {@code service:ns/web})
 * travel in the path as they are: the server's route takes the rest of the path as the id.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class AuthApi {
  private final WharfClient client;

  public AuthApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public JsonNode whoami() {
    return client.call(client.request("/v1/auth/whoami").GET());
  }

  public List<JsonNode> principals() {
    return items(client.call(client.request("/v1/auth/principals").GET()));
  }

  public JsonNode principal(String id) {
    return client.call(client.request("/v1/auth/principals/" + id(id)).GET());
  }

  /** Creates a principal with {@code grants} ({@code roles} and {@code rules}, either may be absent). */
  public JsonNode createPrincipal(String id, ObjectNode grants) {
    ObjectNode body = grants.deepCopy();
    body.put("id", id);
    return send("POST", "/v1/auth/principals", body);
  }

  public JsonNode deletePrincipal(String id) {
    return client.call(client.request("/v1/auth/principals/" + id(id)).DELETE());
  }

  /** Replaces the principal's roles and rules. */
  public JsonNode setGrants(String id, ObjectNode grants) {
    return send("PUT", "/v1/auth/grants/" + id(id), grants);
  }

  public List<JsonNode> roles() {
    return items(client.call(client.request("/v1/auth/roles").GET()));
  }

  public JsonNode createRole(ObjectNode role) {
    return send("POST", "/v1/auth/roles", role);
  }

  public JsonNode replaceRole(String name, ObjectNode role) {
    return send("PUT", "/v1/auth/roles/" + WharfClient.segment(name), role);
  }

  public JsonNode deleteRole(String name) {
    return client.call(client.request("/v1/auth/roles/" + WharfClient.segment(name)).DELETE());
  }

  /** Every token, or those of {@code principal} when not null. */
  public List<JsonNode> tokens(String principal) {
    String query = principal == null ? "" : "?principal=" + URLEncoder.encode(principal, StandardCharsets.UTF_8);
    return items(client.call(client.request("/v1/auth/tokens" + query).GET()));
  }

  /** A new token; the answer's {@code token} is the only time it is shown. */
  public JsonNode createToken(ObjectNode request) {
    return send("POST", "/v1/auth/tokens", request);
  }

  public JsonNode revokeToken(String id) {
    return client.call(client.request("/v1/auth/tokens/" + WharfClient.segment(id)).DELETE());
  }

  public ObjectNode object() {
    return client.json().createObjectNode();
  }

  private static String id(String id) {
    if (!id.matches("[A-Za-z0-9:/._@-]+")) {
      throw new IllegalArgumentException("not a principal id: \"" + id + "\" (user:NAME, service:NAMESPACE/NAME or node:NAME)");
    }
    return id;
  }

  private JsonNode send(String method, String path, JsonNode body) {
    return client.call(client.request(path).header("Content-Type", WharfClient.JSON)
        .method(method, HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static List<JsonNode> items(JsonNode list) {
    List<JsonNode> out = new ArrayList<>();
    list.path("items").forEach(out::add);
    return out;
  }
}
