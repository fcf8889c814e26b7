package io.wharf.server.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One field that differs: {@code spec.replicas} from {@code old} to {@code new}; a missing side is null. */
public record FieldDiff(String path, JsonNode oldValue, JsonNode newValue) {
  public FieldDiff {
    Objects.requireNonNull(path, "path");
  }
}
