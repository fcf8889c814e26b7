package io.wharf.client.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;

/**
 * One field an update changes: its path ({@code spec.replicas}) and the old and new values.
 * A value the field did not (or will not) have is a {@link MissingNode}, never null.
 */
public record FieldChange(String path, JsonNode oldValue, JsonNode newValue) {

  public FieldChange {
    Objects.requireNonNull(path, "path");
    oldValue = oldValue == null ? MissingNode.getInstance() : oldValue;
    newValue = newValue == null ? MissingNode.getInstance() : newValue;
  }
}
