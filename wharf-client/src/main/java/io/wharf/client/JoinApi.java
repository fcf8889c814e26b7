package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * "Joining agents" in docs/api.md: an agent trading a join token (or, to renew, its current
 * client certificate) and a certificate request for a node certificate; operators creating,
 * listing and revoking join tokens.
 *
 * <p>Thread safety: as the underlying client, which it does not own.
 */
public final class JoinApi {
  private final WharfClient client;

  public JoinApi(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The node's signed certificate: {@code node}, {@code certificate}, {@code caCertificate}, {@code notAfter}. */
  public JsonNode join(String token, String csrPem) {
    ObjectNode body = client.newObject().put("csr", csrPem);
    if (token != null) {
      body.put("token", token);
    }
    return post("/v1/agent/join", body);
  }

  /** A new token ({@code ttl} like "24h", null for the default): {@code id}, {@code token}, {@code expires}, {@code caCertHash}. */
  public JsonNode createToken(String ttl) {
    ObjectNode body = client.newObject();
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    return post("/v1/join-tokens", body);
  }

  public List<JsonNode> listTokens() {
    List<JsonNode> out = new ArrayList<>();
    client.call(client.request("/v1/join-tokens").GET()).path("items").forEach(out::add);
    return out;
  }

  public void revokeToken(String id) {
    client.call(client.request("/v1/join-tokens/" + WharfClient.segment(id)).DELETE());
  }

  private JsonNode post(String path, JsonNode body) {
    return client.call(client.request(path).header("Content-Type", WharfClient.JSON)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }
}
