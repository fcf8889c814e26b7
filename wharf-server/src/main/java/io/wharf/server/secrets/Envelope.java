package io.wharf.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * One sealed value as stored: the id of the key that sealed it, the 96-bit nonce and the
 * AES-GCM ciphertext (with its 128-bit tag), base64 in JSON:
 * {@code {"keyId":"k-…","nonce":"…","ciphertext":"…"}}. A client can never send one (a
 * Secret's values are strings), so an object in a value's place is always an envelope.
 */
public record Envelope(String keyId, byte[] nonce, byte[] ciphertext) {
  public Envelope {
    Objects.requireNonNull(keyId, "keyId");
    nonce = nonce.clone();
    ciphertext = ciphertext.clone();
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("keyId", keyId);
    o.put("nonce", Base64.getEncoder().encodeToString(nonce));
    o.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
    return o;
  }

  /** The envelope in {@code node}, or empty when it is not one (e.g. a plaintext string). */
  public static Optional<Envelope> fromJson(JsonNode node) {
    if (node == null || !node.isObject() || !node.path("keyId").isTextual() || !node.path("nonce").isTextual()
        || !node.path("ciphertext").isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Envelope(node.get("keyId").asText(), Base64.getDecoder().decode(node.get("nonce").asText()),
          Base64.getDecoder().decode(node.get("ciphertext").asText())));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "Envelope[" + keyId + "]";
  }
}
