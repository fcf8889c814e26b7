package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.server.registry.LabelSelector;
import io.wharf.server.registry.ListPage;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.server.registry.WriteResult;
import io.wharf.server.secrets.SecretRedaction;
import java.util.List;
import java.util.function.Predicate;

/**
 * The resource endpoints: list, read, create, replace, replace status, delete, for namespaced
 * ({@code /v1/namespaces/{ns}/{plural}/...}) and cluster-scoped ({@code /v1/{plural}/...}) kinds.
 * Every handler parses and checks its inputs first, then makes exactly one registry call.
 */
final class ResourceRoutes {
  private final ResourceRegistry registry;
  private final RequestBodies bodies;
  private final ResourceValidation validation;
  private final ErrorResponses errors;
  private final ObjectMapper json;

  ResourceRoutes(ResourceRegistry registry, RequestBodies bodies, ResourceValidation validation,
      ErrorResponses errors, ObjectMapper json) {
    this.registry = registry;
    this.bodies = bodies;
    this.validation = validation;
    this.errors = errors;
    this.json = json;
  }

  /** Where a request points: a kind, and for namespaced kinds a namespace (null = all). */
  record Target(ResourceType type, String namespace) {}

  static Target clusterPath(Context ctx) {
    ResourceType type = type(ctx.pathParam("plural"));
    return new Target(type, null);
  }

  static Target namespacedPath(Context ctx) {
    ResourceType type = type(ctx.pathParam("plural"));
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    if (type.clusterScoped()) {
      throw ApiError.notFound(type.kind() + " is cluster-scoped; use /v1/" + type.plural()).failure();
    }
    return new Target(type, ns);
  }

  /** Fixed endpoints that the kind routes would otherwise swallow with another method. */
  private static final java.util.Set<String> FIXED = java.util.Set.of("health", "version", "watch", "plan", "apply");

  private static ResourceType type(String plural) {
    if (FIXED.contains(plural)) {
      throw new ApiError(405, "method_not_allowed", "method not allowed on /v1/" + plural, List.of()).failure();
    }
    return ResourceType.byPlural(plural)
        .orElseThrow(() -> ApiError.notFound("unknown kind \"" + plural + "\"").failure());
  }

  private static String name(Context ctx) {
    return QueryParameters.checkedName("name", ctx.pathParam("name"), false);
  }

  private static void requireNamespacedForWrite(Target t) {
    if (!t.type().clusterScoped() && t.namespace() == null) {
      throw new ApiError(405, "method_not_allowed",
          t.type().kind() + " is namespaced; write it under /v1/namespaces/{ns}/" + t.type().plural(), List.of())
          .failure();
    }
  }

  private static void requireWritable(Target t) {
    if (t.type().readOnly()) {
      throw new ApiError(405, "method_not_allowed", t.type().kind() + " is read-only", List.of()).failure();
    }
  }

  void list(Context ctx, Target path) {
    String namespace = path.namespace();
    String queryNamespace = QueryParameters.namespace(ctx);
    if (namespace == null) {
      namespace = path.type().clusterScoped() ? null : queryNamespace;
    } else if (queryNamespace != null && !queryNamespace.equals(namespace)) {
      throw ApiError.badParameter("namespace", "\"" + queryNamespace + "\" disagrees with the path's namespace \""
          + namespace + "\"").failure();
    }
    LabelSelector labels = QueryParameters.labels(ctx);
    int limit = QueryParameters.limit(ctx);
    Predicate<ObjectNode> filter = o -> true;
    if (path.type() == ResourceType.EVENT) {
      filter = filter.and(involvedFilter(ctx));
    }
    String node = QueryParameters.node(ctx);
    if (node != null) {
      if (path.type() != ResourceType.INSTANCE) {
        throw ApiError.badParameter("node", "only instances can be filtered by node").failure();
      }
      filter = filter.and(o -> node.equals(o.path("spec").path("node").asText(null)));
    }
    String after = QueryParameters.continueAfter(ctx, ResourceKeys.prefix(path.type(), namespace));
    ListPage page = registry.list(path.type(), namespace, labels, filter, limit, after);
    ObjectNode body = json.createObjectNode();
    body.put("kind", path.type().listKind());
    body.put("revision", page.revision());
    ArrayNode items = body.putArray("items");
    for (StoredObject o : page.items()) {
      items.add(visible(o));
    }
    body.put("continue", QueryParameters.continueToken(page.continueAfter()));
    send(ctx, 200, body);
  }

  private static Predicate<ObjectNode> involvedFilter(Context ctx) {
    String raw = QueryParameters.single(ctx, "involved");
    if (raw == null) {
      return o -> true;
    }
    String[] parts = raw.split("/", -1);
    if (parts.length != 2 || ResourceType.byKind(parts[0]).isEmpty() || parts[1].isEmpty()) {
      throw ApiError.badParameter("involved", "must be KIND/NAME with a known kind (e.g. Service/web), got \""
          + raw + "\"").failure();
    }
    return o -> {
      JsonNode involved = o.path("spec").path("involved");
      return parts[0].equals(involved.path("kind").asText()) && parts[1].equals(involved.path("name").asText());
    };
  }

  void get(Context ctx, Target path) {
    String name = name(ctx);
    StoredObject object = registry.get(path.type(), path.namespace(), name)
        .filter(o -> path.type().clusterScoped() || path.namespace().equals(o.namespace()))
        .orElseThrow(() -> ErrorResponses.of(new WriteResult.NotFound(path.type().kind(), path.namespace(), name))
            .failure());
    send(ctx, 200, visible(object));
  }

  /** What an answer shows of a stored object: a Secret's values redacted, anything else as stored. */
  static ObjectNode visible(StoredObject object) {
    return object.type() == ResourceType.SECRET ? SecretRedaction.redacted(object.object()) : object.object();
  }

  void create(Context ctx, Target path) {
    requireWritable(path);
    requireNamespacedForWrite(path);
    ObjectNode object = prepared(ctx, path, null);
    JsonNode bodyName = object.path("metadata").path("name");
    if (bodyName.isTextual()) {
      io.wharf.server.audit.AuditScope.describe(ctx, path.type().kind(), path.namespace(), bodyName.asText());
    }
    answer(ctx, registry.create(path.type(), validation.validate(path.type(), object)));
  }

  void replace(Context ctx, Target path) {
    requireWritable(path);
    String name = name(ctx);
    ObjectNode object = prepared(ctx, path, name);
    long expected = bodyRevision(object);
    if (path.type() == ResourceType.NODE) {
      // An agent re-registers with a default spec; drain and eligibility belong to operators
      // (POST /v1/nodes/{name}/drain, /eligibility), so an existing node keeps its spec.
      registry.get(ResourceType.NODE, null, name).ifPresent(stored ->
          object.set("spec", stored.object().path("spec").deepCopy()));
    }
    answer(ctx, registry.replace(path.type(), validation.validate(path.type(), object), expected));
  }

  void replaceStatus(Context ctx, Target path) {
    requireWritable(path);
    String name = name(ctx);
    ObjectNode object = prepared(ctx, path, name);
    long expected = bodyRevision(object);
    ObjectNode valid = validation.validate(path.type(), object);
    answer(ctx, registry.replaceStatus(path.type(), path.namespace(), name, valid.get("status"), expected));
  }

  void delete(Context ctx, Target path) {
    requireWritable(path);
    String name = name(ctx);
    long expected = QueryParameters.revision(ctx, "revision");
    WriteResult result = registry.delete(path.type(), path.namespace(), name, expected);
    if (result instanceof WriteResult.Written w) {
      send(ctx, 200, visible(w.object()));
    } else {
      errors.render(ctx, ErrorResponses.of(result));
    }
  }

  private void answer(Context ctx, WriteResult result) {
    if (result instanceof WriteResult.Written w) {
      send(ctx, w.created() ? 201 : 200, visible(w.object()));
    } else {
      errors.render(ctx, ErrorResponses.of(result));
    }
  }

  /**
   * The body as an object of the path's kind: missing kind, name and namespace are taken from
   * the path; a body that names others is a 400 {@code invalid} at that field.
   */
  private ObjectNode prepared(Context ctx, Target path, String name) {
    ObjectNode object = bodies.tree(bodies.read(ctx));
    JsonNode kind = object.get("kind");
    if (kind == null || kind.isNull()) {
      object.put("kind", path.type().kind());
    } else if (!kind.isTextual() || !kind.asText().equals(path.type().kind())) {
      throw ApiError.mismatch("kind", "body is a " + kind + " but the path is for " + path.type().kind()).failure();
    }
    JsonNode metadataNode = object.get("metadata");
    if (metadataNode == null || metadataNode.isNull()) {
      metadataNode = object.putObject("metadata");
    }
    if (!(metadataNode instanceof ObjectNode metadata)) {
      return object;
    }
    if (name != null) {
      JsonNode bodyName = metadata.get("name");
      if (bodyName == null || bodyName.isNull()) {
        metadata.put("name", name);
      } else if (!bodyName.isTextual() || !bodyName.asText().equals(name)) {
        throw ApiError.mismatch("metadata.name", "body names " + bodyName + " but the path names \"" + name + "\"")
            .failure();
      }
    }
    if (path.namespace() != null) {
      JsonNode bodyNamespace = metadata.get("namespace");
      if (bodyNamespace == null || bodyNamespace.isNull()) {
        metadata.put("namespace", path.namespace());
      } else if (!bodyNamespace.isTextual() || !bodyNamespace.asText().equals(path.namespace())) {
        throw ApiError.mismatch("metadata.namespace", "body names " + bodyNamespace
            + " but the path names \"" + path.namespace() + "\"").failure();
      }
    }
    return object;
  }

  private static long bodyRevision(ObjectNode object) {
    JsonNode revision = object.path("metadata").path("revision");
    return revision.canConvertToLong() && revision.asLong() > 0 ? revision.asLong() : 0;
  }

  private void send(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    try {
      ctx.result(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
