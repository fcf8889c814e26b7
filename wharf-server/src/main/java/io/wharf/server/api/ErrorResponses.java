package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.WriteResult;
import io.wharf.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps failures to HTTP statuses and renders the JSON error shape. Domain
 * outcomes ({@link WriteResult}) map here too, so the table in docs/api.md has one home.
 */
public final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private final ObjectMapper json;

  public ErrorResponses(ObjectMapper json) {
    this.json = json;
  }

  /** The error for a write that did not happen. */
  public static ApiError of(WriteResult result) {
    return switch (result) {
      case WriteResult.NotFound n -> ApiError.notFound(describe(n.kind(), n.namespace(), n.name()) + " not found");
      case WriteResult.AlreadyExists a -> new ApiError(409, "already_exists",
          describe(a.kind(), a.namespace(), a.name()) + " already exists", java.util.List.of());
      case WriteResult.Conflict c -> ApiError.conflict(c.actual() == 0
          ? c.kind() + " \"" + c.name() + "\" was expected at revision " + c.expected() + " but no longer exists"
          : c.kind() + " \"" + c.name() + "\" is at revision " + c.actual() + ", not " + c.expected()
              + "; read it again and retry");
      case WriteResult.Written w -> throw new IllegalArgumentException("not an error: " + w);
    };
  }

  private static String describe(String kind, String namespace, String name) {
    return kind + " \"" + (namespace == null ? "" : namespace + "/") + name + "\"";
  }

  /** The error for an exception escaping a handler. */
  public ApiError of(Exception e) {
    return switch (e) {
      case ApiError.Failure f -> f.error();
      case io.wharf.server.auth.AuthenticationException a -> ApiError.unauthenticated(a.getMessage());
      case io.wharf.server.auth.ForbiddenException f -> ApiError.forbidden(f.getMessage());
      case ChangeWriter.ContentionException c -> ApiError.conflict(c.getMessage());
      case ChangeWriter.TooLargeException t -> new ApiError(413, "too_large", t.getMessage(), java.util.List.of());
      // The store refused a transaction the server sized by its reported limits: the limits it
      // was configured with are larger than what it really takes (an etcd started without the
      // flags of docs/operations.md). The change is too large for this store; nothing was written.
      case io.wharf.store.TxnTooLargeException t -> new ApiError(413, "too_large",
          "the change is too large for one store transaction: " + t.getMessage(), java.util.List.of());
      case StoreException s -> {
        log.warn("store failed while serving a request: {}", s.toString());
        yield new ApiError(503, "unavailable", "the store did not answer: " + s.getMessage(), java.util.List.of());
      }
      case HttpResponseException h -> fromStatus(h.getStatus(), h.getMessage());
      default -> {
        log.error("unexpected failure serving a request", e);
        yield new ApiError(500, "internal", "internal error: " + e.getClass().getSimpleName(), java.util.List.of());
      }
    };
  }

  /** Javalin's own answers (unknown route, wrong method) in our shape. */
  public static ApiError fromStatus(int status, String message) {
    return switch (status) {
      case 404 -> ApiError.notFound(message == null || message.isBlank() || message.equals("Endpoint not found")
          ? "no such route" : message);
      case 405 -> new ApiError(405, "method_not_allowed", "method not allowed on this path", java.util.List.of());
      case 413 -> new ApiError(413, "too_large", "body is larger than 4 MiB", java.util.List.of());
      case 414 -> new ApiError(414, "too_large", "request URI is too long", java.util.List.of());
      case 431 -> new ApiError(431, "too_large", "request headers are too large", java.util.List.of());
      // Jetty's answer to a request line without a version or with an unknown one; the request
      // is malformed, not the server broken.
      case 505 -> new ApiError(505, "malformed", "HTTP version not supported; send HTTP/1.1 requests",
          java.util.List.of());
      case 415 -> new ApiError(415, "unsupported_media_type", message, java.util.List.of());
      case 400 -> ApiError.malformed(message == null ? "bad request" : message);
      default -> new ApiError(status, status >= 500 ? "internal" : "error",
          message == null ? "HTTP " + status : message, java.util.List.of());
    };
  }

  /** Set on a response whose error body is already ours, so Javalin's status handlers keep it. */
  static final String RENDERED = "wharf.error.rendered";

  public void render(Context ctx, ApiError error) {
    ctx.attribute(RENDERED, true);
    io.wharf.server.audit.AuditRecorder.refused(ctx, error.code(), error.message(),
        error.problems().stream().map(ApiProblem::path).toList());
    if (error.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(error.status());
    ctx.contentType("application/json");
    ctx.result(body(error));
  }

  /** The JSON error shape of docs/api.md for {@code error}, as bytes. */
  public byte[] body(ApiError error) {
    ObjectNode root = json.createObjectNode();
    ObjectNode body = root.putObject("error");
    body.put("code", error.code());
    body.put("message", error.message());
    if (!error.problems().isEmpty()) {
      ArrayNode problems = body.putArray("problems");
      for (ApiProblem p : error.problems()) {
        problems.addObject().put("path", p.path()).put("reason", p.reason());
      }
    }
    try {
      return json.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
