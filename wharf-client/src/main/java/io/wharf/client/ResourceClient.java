package io.wharf.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The resource calls of {@link WharfClient} in wharf-model's types: objects go out through
 * {@link ResourceCodec#toTree} and come back decoded (and validated) by
 * {@link ResourceCodec#fromJson(Kind, byte[])}. An answer that does not decode is a
 * {@link ClientException} naming every problem.
 *
 * <p>Thread safety: as the underlying client; it does not own it (closing is the caller's).
 */
public final class ResourceClient {

  private final WharfClient client;

  public ResourceClient(WharfClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public Resource get(Kind kind, String namespace, String name) {
    return decode(kind, client.get(kind.plural(), scope(kind, namespace), name));
  }

  /** A secret with its values (the guarded read; {@link #get} shows them redacted). */
  public Resource revealSecret(String namespace, String name) {
    return decode(Kind.SECRET, client.revealSecret(scope(Kind.SECRET, namespace), name));
  }

  /** A config or secret (values shown) at a revision a service's instance template took. */
  public Resource inputAt(Kind kind, String namespace, String name, long revision) {
    return decode(kind, client.inputAt(kind == Kind.SECRET, scope(kind, namespace), name, revision));
  }

  /** Every object of the kind matching {@code options}, across pages. */
  public List<Resource> listAll(Kind kind, ListOptions options) {
    List<Resource> out = new ArrayList<>();
    for (JsonNode item : client.listAll(kind.plural(), options)) {
      out.add(decode(kind, item));
    }
    return out;
  }

  public Resource create(Resource resource) {
    Kind kind = resource.kind();
    return decode(kind, client.create(kind.plural(), scope(kind, resource.metadata().namespace()),
        ResourceCodec.toTree(resource)));
  }

  /** Create or replace; conditional on {@code metadata.revision} when it is non-zero. */
  public Resource put(Resource resource) {
    Kind kind = resource.kind();
    return decode(kind, client.put(kind.plural(), scope(kind, resource.metadata().namespace()),
        resource.metadata().name(), ResourceCodec.toTree(resource)));
  }

  /** Deletes (conditionally when {@code revision} > 0); returns the last state. */
  public Resource delete(Kind kind, String namespace, String name, long revision) {
    return decode(kind, client.delete(kind.plural(), scope(kind, namespace), name, revision));
  }

  private static String scope(Kind kind, String namespace) {
    if (!kind.namespaced()) {
      return null;
    }
    return namespace == null ? "default" : namespace;
  }

  static Resource decode(Kind kind, JsonNode json) {
    byte[] bytes;
    try {
      bytes = ResourceCodec.json().writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new ClientException("cannot re-encode the server's answer: " + e.getMessage(), e);
    }
    Decoded<Resource> decoded = ResourceCodec.fromJson(kind, bytes);
    if (!decoded.ok()) {
      throw new ClientException("the server's " + kind.displayName() + " does not decode: "
          + decoded.problems().stream().map(p -> p.path() + ": " + p.reason()).toList());
    }
    return decoded.value();
  }
}
