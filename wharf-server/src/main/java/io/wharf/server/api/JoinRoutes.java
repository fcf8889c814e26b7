package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.quantity.Durations;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.tls.CertificateAuthority;
import io.wharf.server.tls.ClientCertificateAuthenticator;
import io.wharf.server.tls.JoinTokens;
import io.wharf.server.tls.NodeCertificates;
import io.wharf.server.tls.Pem;
import io.wharf.server.tls.ServerTls;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * Agents joining (docs/api.md "Joining agents"): {@code POST /v1/agent/join} signs a node's
 * certificate request when it brings an unspent join token, or — to renew — when it presents its
 * current, still valid node certificate for the same node name. That route is anonymous to the
 * authentication seam and checks these credentials itself. {@code /v1/join-tokens} creates,
 * lists and revokes tokens (authorised like any other route).
 */
final class JoinRoutes {
  private final ServerTls tls; // null: plain HTTP, nobody joins
  private final JoinTokens tokens;
  private final RequestBodies bodies;
  private final ObjectMapper json;
  private final InstantSource clock;

  JoinRoutes(ServerTls tls, JoinTokens tokens, RequestBodies bodies, ObjectMapper json, InstantSource clock) {
    this.tls = tls;
    this.tokens = tokens;
    this.bodies = bodies;
    this.json = json;
    this.clock = clock;
  }

  /** {@code POST /v1/agent/join}: {@code {"token": "ID.SECRET", "csr": "PEM"}}, token omitted to renew over mTLS. */
  void join(Context ctx) {
    CertificateAuthority ca = issuingCa();
    ObjectNode body = bodies.tree(bodies.read(ctx));
    JsonNode csrText = body.get("csr");
    if (csrText == null || !csrText.isTextual()) {
      throw ApiError.invalid("join", List.of(new ApiProblem("csr", "must be a PEM certificate request"))).failure();
    }
    NodeCertificates.Request request;
    try {
      request = NodeCertificates.checkRequest(csrText.asText());
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("join", List.of(new ApiProblem("csr", e.getMessage()))).failure();
    }
    JsonNode token = body.get("token");
    if (token != null && !token.isNull()) {
      if (!token.isTextual()) {
        throw ApiError.invalid("join", List.of(new ApiProblem("token", "must be a string"))).failure();
      }
      try {
        tokens.consume(token.asText(), request.nodeName());
      } catch (JoinTokens.Refused e) {
        throw unauthenticated(e.getMessage());
      }
    } else {
      List<X509Certificate> presented = ClientCertificateAuthenticator.presented(ctx);
      if (presented.isEmpty()) {
        throw unauthenticated("joining needs a join token (or, to renew, the node's current client certificate)");
      }
      NodeCertificates.Verdict verdict = NodeCertificates.verify(presented, ca.certificate(), clock.instant());
      if (verdict.node().isEmpty()) {
        throw unauthenticated(verdict.reason());
      }
      if (!verdict.node().get().equals(request.nodeName())) {
        throw new ApiError(403, "forbidden", "node " + verdict.node().get() + " cannot renew the certificate of node "
            + request.nodeName(), List.of()).failure();
      }
    }
    X509Certificate issued = ca.issueNode(request.publicKey(), request.nodeName(), clock.instant(),
        CertificateAuthority.NODE_VALIDITY);
    ApiServer.send(ctx, json, json.createObjectNode().put("node", request.nodeName())
        .put("certificate", Pem.certificate(issued)).put("caCertificate", Pem.certificate(ca.certificate()))
        .put("notAfter", issued.getNotAfter().toInstant().toString()));
  }

  /** {@code POST /v1/join-tokens}: {@code {"ttl": "24h"}} (optional); the token is in this answer only. */
  void create(Context ctx) {
    issuingCa();
    ObjectNode body = ctx.req().getContentLengthLong() == 0 ? json.createObjectNode() : bodies.tree(bodies.read(ctx));
    Duration ttl = JoinTokens.DEFAULT_TTL;
    JsonNode ttlText = body.get("ttl");
    if (ttlText != null && !ttlText.isNull()) {
      ttl = Durations.parse(ttlText.asText()).orElseThrow(() -> ApiError.invalid("join token",
          List.of(new ApiProblem("ttl", "must be a duration like 30m or 24h, got \"" + ttlText.asText() + "\""))).failure());
      if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(JoinTokens.MAX_TTL) > 0) {
        throw ApiError.invalid("join token", List.of(new ApiProblem("ttl", "must be more than 0 and at most "
            + Durations.format(JoinTokens.MAX_TTL) + ", got " + ttlText.asText()))).failure();
      }
    }
    JoinTokens.Created created = tokens.create(ttl, RequestPrincipal.of(ctx).id());
    ctx.status(201);
    ApiServer.send(ctx, json, json.createObjectNode().put("id", created.id()).put("token", created.token())
        .put("expires", created.expires().toString()).put("caCertHash", tls.caFingerprint()));
  }

  /** {@code GET /v1/join-tokens}: ids, creation, expiry, who used them; never a secret. */
  void list(Context ctx) {
    ArrayNode items = json.createArrayNode();
    for (JoinTokens.Listed t : tokens.list()) {
      ObjectNode item = items.addObject().put("id", t.id()).put("created", t.created().toString())
          .put("expires", t.expires().toString()).put("createdBy", t.createdBy());
      item.put("usedBy", t.usedBy()).put("usedAt", t.usedAt() == null ? null : t.usedAt().toString());
    }
    ApiServer.send(ctx, json, json.createObjectNode().set("items", items));
  }

  /** {@code DELETE /v1/join-tokens/{id}}. */
  void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("[0-9a-f]{8}") || !tokens.revoke(id)) {
      throw ApiError.notFound("join token \"" + id + "\" not found").failure();
    }
    ctx.status(204);
  }

  private CertificateAuthority issuingCa() {
    if (tls == null) {
      throw ApiError.conflict("this server serves plain HTTP: agents join only a server with TLS").failure();
    }
    if (!tls.ca().canIssue()) {
      throw ApiError.conflict("this server has the CA certificate but not its key (--tls-ca-key): it cannot sign "
          + "node certificates").failure();
    }
    return tls.ca();
  }

  private static ApiError.Failure unauthenticated(String message) {
    return new ApiError(401, "unauthenticated", message, List.of()).failure();
  }
}
