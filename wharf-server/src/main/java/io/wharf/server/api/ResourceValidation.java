package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.validation.Problem;
import io.wharf.server.registry.ResourceType;
import java.util.List;

/**
 * Runs a request object through the model's codec, which validates every field, and returns the
 * codec's normalized form: what is stored is exactly what the model accepts.
 */
public final class ResourceValidation {
  private final ObjectMapper json;

  public ResourceValidation(ObjectMapper json) {
    this.json = json;
  }

  /** The normalized object, or a 400 (unparseable) / 422 (invalid) failure listing every problem. */
  public ObjectNode validate(ResourceType type, ObjectNode object) {
    Kind kind = kindOf(type);
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(object);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiError.malformed("body cannot be re-encoded: " + e.getOriginalMessage()).failure();
    }
    Decoded<io.wharf.model.Resource> decoded = ResourceCodec.fromJson(kind, bytes);
    if (!decoded.ok()) {
      List<ApiProblem> problems = problems(decoded.problems());
      if (decoded instanceof Decoded.Invalid<?> invalid && invalid.malformed()) {
        throw new ApiError(400, "malformed", "body is malformed: " + problems.get(0).reason(), problems).failure();
      }
      throw ApiError.invalid(type.kind() + " \"" + object.path("metadata").path("name").asText("") + "\"", problems)
          .failure();
    }
    if (decoded.value() instanceof io.wharf.model.Secret secret) {
      List<ApiProblem> placeholders = placeholders(secret);
      if (!placeholders.isEmpty()) {
        throw ApiError.invalid(type.kind() + " \"" + secret.metadata().name() + "\"", placeholders).failure();
      }
    }
    return ResourceCodec.toTree(decoded.value());
  }

  /**
   * Values that are the placeholder answers show instead of a secret's value: a client that read
   * a secret and wrote it back would otherwise replace the real value with the placeholder.
   */
  private static List<ApiProblem> placeholders(io.wharf.model.Secret secret) {
    String reason = "is \"" + io.wharf.server.secrets.SecretRedaction.REDACTED
        + "\", what answers show instead of the value; send the value itself";
    List<ApiProblem> out = new java.util.ArrayList<>();
    if (secret.spec().value() != null
        && secret.spec().value().reveal().equals(io.wharf.server.secrets.SecretRedaction.REDACTED)) {
      out.add(new ApiProblem("spec.value", reason));
    }
    secret.spec().data().forEach((key, value) -> {
      if (value.reveal().equals(io.wharf.server.secrets.SecretRedaction.REDACTED)) {
        out.add(new ApiProblem("spec.data." + key, reason));
      }
    });
    return out;
  }

  public static Kind kindOf(ResourceType type) {
    return Kind.parse(type.kind()).orElseThrow(() -> new IllegalStateException("model has no kind " + type.kind()));
  }

  public static List<ApiProblem> problems(List<Problem> problems) {
    return problems.stream().map(p -> new ApiProblem(p.path(), p.reason())).toList();
  }
}
