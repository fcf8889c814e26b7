package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.server.registry.WriteResult;
import io.wharf.server.secrets.KeyRotation;
import io.wharf.server.secrets.UnreadableSecretException;
import io.wharf.server.controller.rollout.TemplateInputs;
import io.wharf.store.KeyValue;
import java.util.List;
import java.util.Optional;

/**
 * The two secret endpoints beyond the resource routes (which answer with values redacted):
 * {@code GET /v1/namespaces/{ns}/secrets/{name}/value}, the one answer that shows a secret's
 * values, which the authorisation seam guards with the verb {@code reveal} on kind Secret (agents
 * read what their tasks take here); and {@code POST /v1/secrets/rotate-key}, which reloads the
 * keyring and re-seals every secret with its active key.
 */
final class SecretRoutes {
  private final ResourceRegistry registry;
  private final KeyRotation rotation;
  private final ObjectMapper json;

  SecretRoutes(ResourceRegistry registry, KeyRotation rotation, ObjectMapper json) {
    this.registry = registry;
    this.rotation = rotation;
    this.json = json;
  }

  void reveal(Context ctx) {
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    StoredObject object = registry.get(ResourceType.SECRET, ns, name)
        .orElseThrow(() -> ErrorResponses.of(new WriteResult.NotFound(ResourceType.SECRET.kind(), ns, name)).failure());
    ObjectNode plaintext;
    try {
      plaintext = registry.plaintext(object).object();
    } catch (UnreadableSecretException e) {
      throw new ApiError(500, "unreadable_secret", "secret \"" + ns + "/" + name + "\" cannot be read: "
          + e.getMessage(), List.of()).failure();
    }
    ctx.header("Cache-Control", "no-store");
    ApiServer.send(ctx, json, plaintext);
  }

  /**
   * A config ({@code secret} false) or secret (values shown: the route needs {@code reveal}) as it
   * was at a revision a service's template took: the stored object while that is still its
   * revision, else the snapshot {@link TemplateInputs} kept; 404 when neither is there, or when
   * the config or secret itself was deleted.
   */
  void revision(Context ctx, boolean secret) {
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    String text = ctx.pathParam("revision");
    if (!text.matches("[0-9]{1,18}")) {
      throw ApiError.malformed("path parameter \"revision\": must be a store revision (an integer >= 0), got "
          + text).failure();
    }
    long revision = Long.parseLong(text);
    ResourceType type = secret ? ResourceType.SECRET : ResourceType.CONFIG;
    Optional<StoredObject> current = registry.get(type, ns, name);
    if (current.isEmpty()) { // deleted: what was kept of it is not handed out (its instances wait for it)
      throw ErrorResponses.of(new WriteResult.NotFound(type.kind(), ns, name)).failure();
    }
    Optional<StoredObject> object = current.filter(o -> o.revision() == revision)
        .or(() -> registry.store().get(TemplateInputs.snapshotKey(secret, ns, name, revision)).map(kv ->
            registry.decode(type, new KeyValue(kv.key(), kv.value(), kv.createRevision(), revision, kv.version(),
                kv.lease()))));
    if (object.isEmpty()) {
      throw ApiError.notFound((secret ? "secret" : "config") + " \"" + ns + "/" + name + "\" has no kept revision "
          + revision).failure();
    }
    ObjectNode body;
    try {
      body = secret ? registry.plaintext(object.get()).object() : object.get().object();
    } catch (UnreadableSecretException e) {
      throw new ApiError(500, "unreadable_secret", "secret \"" + ns + "/" + name + "\" cannot be read: "
          + e.getMessage(), List.of()).failure();
    }
    ctx.header("Cache-Control", "no-store");
    ApiServer.send(ctx, json, body);
  }

  void rotateKey(Context ctx) {
    KeyRotation.Result result;
    try {
      result = rotation.rotate();
    } catch (IllegalArgumentException badKeySource) {
      throw new ApiError(500, "bad_keyring", badKeySource.getMessage(), List.of()).failure();
    } catch (UnreadableSecretException e) {
      throw new ApiError(500, "unreadable_secret", "a secret or key cannot be re-sealed: " + e.getMessage(), List.of())
          .failure();
    }
    ObjectNode body = json.createObjectNode();
    body.put("activeKey", result.activeKey());
    result.keys().forEach(body.putArray("keys")::add);
    body.put("resealed", result.resealed());
    body.put("unchanged", result.unchanged());
    body.put("keyMaterialResealed", result.keyMaterialResealed());
    ApiServer.send(ctx, json, body);
  }
}
