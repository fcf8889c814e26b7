package io.wharf.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.CliException;
import java.util.List;

/**
 * How the CLI writes principals and rules. A principal is {@code user:NAME},
 * {@code service:NAMESPACE/NAME} or {@code node:NAME} (a bare NAME is a user). A rule is
 * {@code NAMESPACE:KINDS:VERBS}, e.g. {@code team-*:Service,Instance:get,list} or {@code *:*:get}.
 * Pure.
 */
final class Grants {
  private Grants() {
  }

  static String principal(String text) {
    return text.contains(":") ? text : "user:" + text;
  }

  /** {@code {"roles": [...], "rules": [...]}} from the options. */
  static ObjectNode body(ObjectNode into, List<String> roles, List<String> rules) {
    ArrayNode r = into.putArray("roles");
    roles.forEach(r::add);
    ArrayNode out = into.putArray("rules");
    for (String rule : rules) {
      String[] parts = rule.split(":", -1);
      if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
        throw CliException.usage("--rule must be NAMESPACE:KINDS:VERBS (e.g. team-*:Service,Instance:get,list), got \""
            + rule + "\"");
      }
      ObjectNode n = out.addObject();
      n.put("namespace", parts[0].strip());
      ArrayNode kinds = n.putArray("kinds");
      for (String k : parts[1].split(",")) {
        kinds.add(k.strip());
      }
      ArrayNode verbs = n.putArray("verbs");
      for (String v : parts[2].split(",")) {
        verbs.add(v.strip());
      }
    }
    return into;
  }

  /** A rule as the CLI writes it. */
  static String rule(JsonNode rule) {
    return rule.path("namespace").asText() + ":" + join(rule.path("kinds")) + ":" + join(rule.path("verbs"));
  }

  static String rules(JsonNode rules) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode r : rules) {
      sb.append(sb.isEmpty() ? "" : " ").append(rule(r));
    }
    return sb.isEmpty() ? "-" : sb.toString();
  }

  static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : array) {
      sb.append(sb.isEmpty() ? "" : ",").append(n.asText());
    }
    return sb.isEmpty() ? "-" : sb.toString();
  }
}
