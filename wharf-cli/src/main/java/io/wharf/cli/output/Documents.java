package io.wharf.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints API objects as JSON or YAML documents. Every object passes through
 * {@link #redact(JsonNode)} first: a secret's values are never printed, whatever the server
 * sent.
 */
public final class Documents {

  public static final String REDACTED = "<redacted>";

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectMapper compactJson = new ObjectMapper();
  private final ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  /** Pretty JSON ending in a newline. */
  public String json(JsonNode document) {
    try {
      return json.writeValueAsString(redact(document)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One JSON line (for streams such as {@code events --follow -o json}). */
  public String jsonLine(JsonNode document) {
    try {
      return compactJson.writeValueAsString(redact(document)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String yaml(JsonNode document) {
    try {
      return yaml.writeValueAsString(redact(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String render(JsonNode document, OutputFormat format) {
    return switch (format) {
      case JSON -> json(document);
      case YAML -> yaml(document);
      case TABLE -> throw new IllegalArgumentException("tables are rendered by the command");
    };
  }

  /**
   * A copy of {@code document} where every Secret (the document itself, a list's items, a
   * watch event's object) shows {@value #REDACTED} instead of its {@code spec.value} and each
   * {@code spec.data} entry, and a plan's change to a Secret shows it instead of the old and
   * new values of its diff. Other documents come back unchanged.
   */
  public static JsonNode redact(JsonNode document) {
    if (document == null || !document.isObject() || !containsSecret(document)) {
      return document;
    }
    JsonNode copy = document.deepCopy();
    redactInPlace(copy);
    return copy;
  }

  private static boolean containsSecret(JsonNode node) {
    if ("Secret".equals(node.path("kind").asText())) {
      return true;
    }
    for (JsonNode child : node) {
      if (child.isContainerNode() && containsSecret(child)) {
        return true;
      }
    }
    return false;
  }

  private static void redactInPlace(JsonNode node) {
    if (node.isObject() && "Secret".equals(node.path("kind").asText())
        && node.path("diff").isArray()) {
      // A plan's change to a secret: its field diffs carry the old and new values.
      for (JsonNode field : node.path("diff")) {
        if (field.isObject()) {
          ((ObjectNode) field).put("old", REDACTED);
          ((ObjectNode) field).put("new", REDACTED);
        }
      }
    }
    if (node.isObject() && "Secret".equals(node.path("kind").asText())
        && node.path("spec").isObject()) {
      ObjectNode spec = (ObjectNode) node.get("spec");
      if (spec.hasNonNull("value")) {
        spec.put("value", REDACTED);
      }
      if (spec.path("data").isObject()) {
        ObjectNode data = (ObjectNode) spec.get("data");
        Iterator<Map.Entry<String, JsonNode>> fields = data.fields();
        while (fields.hasNext()) {
          fields.next().setValue(data.textNode(REDACTED));
        }
      }
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        redactInPlace(child);
      }
    }
  }
}
