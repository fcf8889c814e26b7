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
import java.util.List;

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
