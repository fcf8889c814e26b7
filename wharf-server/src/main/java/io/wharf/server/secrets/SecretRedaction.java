package io.wharf.server.secrets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What every answer but the guarded read shows of a Secret: its metadata, status and the names
 * of its entries, each value (sealed or not) replaced by {@value #REDACTED}. Pure, thread-safe.
 */
public final class SecretRedaction {
  public static final String REDACTED = "<redacted>";
  private static final TextNode PLACEHOLDER = TextNode.valueOf(REDACTED);

  private SecretRedaction() {}

  /** A copy of {@code secret} with every value redacted. */
  public static ObjectNode redacted(ObjectNode secret) {
    return SecretSealer.mapEachValue(secret, node -> PLACEHOLDER);
  }
}
