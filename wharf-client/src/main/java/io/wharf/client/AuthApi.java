package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.Objects;

/**
 * The login calls of docs/api.md "Authentication": log in for a signed token, set a user's
 * password, enrol or remove TOTP, rotate the signing keys, read the JWKS, and (for node agents)
 * an instance's workload token.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class AuthApi {
  private final WharfClient client;

  public AuthApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

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
}
