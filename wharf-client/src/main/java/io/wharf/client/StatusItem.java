package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One entry of an agent's batched status report: an instance and its whole new status. */
public record StatusItem(String namespace, String name, JsonNode status) {

  public StatusItem {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
  }
}
