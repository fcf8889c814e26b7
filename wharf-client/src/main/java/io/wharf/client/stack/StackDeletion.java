package io.wharf.client.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of {@code POST /v1/delete}: objects deleted at once, services that stop in reverse
 * dependency order ({@code deleteOrder}) and are deleted when stopped, and those already gone.
 * Names are {@code Kind namespace/name}.
 */
public record StackDeletion(String stack, String namespace, long revision, List<Target> deleted,
    List<Target> stopping, List<Target> notFound, List<List<String>> deleteOrder) {

  /** One object; shown as {@code Kind namespace/name}. */
  public record Target(String kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  public StackDeletion {
    deleted = List.copyOf(deleted);
    stopping = List.copyOf(stopping);
    notFound = List.copyOf(notFound);
    deleteOrder = deleteOrder.stream().map(List::copyOf).toList();
  }

  /** @throws ClientException when the JSON is not a deletion answer */
  public static StackDeletion fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new ClientException("the server's deletion answer is not a JSON object");
    }
    return new StackDeletion(json.path("stack").asText(""), json.path("namespace").asText(""),
        json.path("revision").asLong(), targets(json.path("deleted")), targets(json.path("stopping")),
        targets(json.path("notFound")), Plan.waves(json.path("deleteOrder")));
  }

  private static List<Target> targets(JsonNode array) {
    List<Target> out = new ArrayList<>();
    for (JsonNode t : array) {
      out.add(new Target(t.path("kind").asText(), t.path("namespace").asText(""), t.path("name").asText()));
    }
    return out;
  }
}
