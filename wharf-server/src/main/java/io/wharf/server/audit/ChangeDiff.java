package io.wharf.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One object's change as an audit entry shows it: which object, created / updated / deleted, the
 * paths of the fields that changed, and the before and after of the sections that changed
 * ({@code metadata.labels}, {@code spec}, {@code status}). A Secret's spec never shows a value:
 * every value under it becomes {@value #REDACTED} (the names of its entries stay, so an entry
 * still says which secret key changed). Pure.
 */
final class ChangeDiff {
  static final String REDACTED = "<redacted>";
  private static final List<String> SECTIONS = List.of("labels", "spec", "status");

  private ChangeDiff() {
  }

  /** The change from {@code before} to {@code after} (either may be null: created / deleted). */
  static ObjectNode of(ObjectMapper json, JsonNode before, JsonNode after) {
    JsonNode some = after != null ? after : before;
    ObjectNode change = json.createObjectNode();
    change.put("kind", some.path("kind").asText(""));
    String namespace = some.path("metadata").path("namespace").asText(null);
    if (namespace != null) {
      change.put("namespace", namespace);
    }
    change.put("name", some.path("metadata").path("name").asText(""));
    change.put("action", before == null ? "created" : after == null ? "deleted" : "updated");
    boolean secret = "Secret".equals(some.path("kind").asText());
    TreeSet<String> fields = new TreeSet<>();
    ObjectNode was = json.createObjectNode();
    ObjectNode now = json.createObjectNode();
    for (String section : SECTIONS) {
      JsonNode b = section(before, section);
      JsonNode a = section(after, section);
      if (same(b, a)) {
        continue;
      }
      String prefix = section.equals("labels") ? "metadata.labels" : section;
      paths(prefix, b, a, fields);
      boolean redact = secret && section.equals("spec");
      if (b != null) {
        was.set(prefix, redact ? redacted(b) : b.deepCopy());
      }
      if (a != null) {
        now.set(prefix, redact ? redacted(a) : a.deepCopy());
      }
    }
    ArrayNode list = change.putArray("fields");
    fields.forEach(list::add);
    if (before != null) {
      change.set("before", was);
    }
    if (after != null) {
      change.set("after", now);
    }
    return change;
  }

  private static JsonNode section(JsonNode object, String section) {
    if (object == null) {
      return null;
    }
    JsonNode node = section.equals("labels") ? object.path("metadata").get("labels") : object.get(section);
    return node == null || node.isNull() || (node.isContainerNode() && node.isEmpty()) ? null : node;
  }

  private static boolean same(JsonNode a, JsonNode b) {
    return a == null ? b == null : a.equals(b);
  }

  /** Paths of leaves that differ between {@code a} and {@code b}, containers walked by field. */
  private static void paths(String at, JsonNode a, JsonNode b, TreeSet<String> out) {
    if (same(a, b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        paths(at + "." + name, a.get(name), b.get(name), out);
      }
      return;
    }
    out.add(at);
  }

  /** A copy with every scalar replaced by {@value #REDACTED}; field names are kept. */
  static JsonNode redacted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        copy.set(f.getKey(), redacted(f.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(n -> copy.add(redacted(n)));
      return copy;
    }
    return node.isNull() ? node : com.fasterxml.jackson.databind.node.TextNode.valueOf(REDACTED);
  }
}
