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
 * their grants, roles, API tokens; logins, passwords, TOTP, signing keys and workload tokens. Principal ids ({@code user:alice}, {@code service:ns/web})
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

  // ---- the login lane: logins, credentials, signing keys, workload tokens

  /**
   * {@code {"token", "tokenType", "principal", "expiresAt"}}; a refused login is an
   * {@link ApiException} with status 401, a locked-out one 429. {@code totp} and {@code ttl}
   * (a duration like {@code 30m}) may be null.
   */
  public JsonNode login(String user, String password, String totp, String ttl) {
    ObjectNode body = client.newObject().put("user", user).put("password", password);
    if (totp != null) {
      body.put("totp", totp);
    }
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    return post("/v1/auth/login", body);
  }

  public JsonNode setPassword(String user, String password) {
    return client.call(client.request("/v1/auth/users/" + WharfClient.segment(user) + "/password")
        .header("Content-Type", WharfClient.JSON)
        .PUT(HttpRequest.BodyPublishers.ofString(client.newObject().put("password", password).toString())));
  }

  /** {@code {"user", "secret", "uri"}}: shown this once. 409 when already enrolled. */
  public JsonNode enrolTotp(String user) {
    return post("/v1/auth/users/" + WharfClient.segment(user) + "/totp", client.newObject());
  }

  public JsonNode removeTotp(String user) {
    return client.call(client.request("/v1/auth/users/" + WharfClient.segment(user) + "/totp").DELETE());
  }

  /** {@code {"kid", "previousKeysValidFor"}}. */
  public JsonNode rotateKeys() {
    return post("/v1/auth/keys/rotate", client.newObject());
  }

  /** The JWKS document: {@code {"keys": [...]}}, public keys only. */
  public JsonNode jwks() {
    return client.call(client.request("/v1/auth/jwks").GET());
  }

  /** An instance's workload token ({@code {"token", "principal", "expiresAt", ...}}); node agents only. */
  public JsonNode instanceToken(String namespace, String instance) {
    return post("/v1/namespaces/" + WharfClient.segment(namespace) + "/instances/" + WharfClient.segment(instance)
        + "/token", client.newObject());
  }

  private JsonNode post(String path, ObjectNode body) {
    return client.call(client.request(path).header("Content-Type", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
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
