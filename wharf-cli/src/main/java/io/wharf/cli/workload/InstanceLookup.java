package io.wharf.cli.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.client.ApiException;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import java.util.Comparator;
import java.util.List;

/** Finds instances by their own name or by the service (or job) that owns them. */
final class InstanceLookup {
  private InstanceLookup() {}

  /** Instances of {@code namespace} (null: every namespace), those owned by {@code owner} when given. */
  static List<JsonNode> list(WharfClient api, String namespace, String owner) {
    return api.listAll("instances", new ListOptions(namespace, java.util.Map.of(), 0, null)).stream()
        .filter(i -> owner == null || owner.equals(ownerName(i)))
        .sorted(Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText())
            .thenComparing(i -> i.path("metadata").path("name").asText()))
        .toList();
  }

  /** The instance named {@code name}, else every instance of the service or job named so. */
  static List<JsonNode> resolve(WharfClient api, String namespace, String name) {
    try {
      return List.of(api.get("instances", namespace, name));
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    List<JsonNode> owned = list(api, namespace, name);
    if (owned.isEmpty()) {
      throw new CliException(ExitCode.ERROR, "no instance or service named " + name + " in namespace " + namespace);
    }
    return owned;
  }

  static String ownerName(JsonNode instance) {
    return instance.path("spec").path("owner").path("name").asText("");
  }

  static String name(JsonNode instance) {
    return instance.path("metadata").path("name").asText();
  }
}
