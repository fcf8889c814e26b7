package io.wharf.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A label filter: comma-separated requirements {@code k=v} (or {@code k==v}), {@code k!=v},
 * {@code k} (the label exists) and {@code !k} (it does not). All must hold.
 */
public record LabelSelector(List<Requirement> requirements) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  public enum Operator { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS }

  public record Requirement(String key, Operator operator, String value) {
    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
    }

    byte[] needle() {
      return ("\"" + key + "\":\"" + value + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    boolean matches(JsonNode labels) {
      JsonNode v = labels.path(key);
      boolean present = v.isTextual();
      return switch (operator) {
        case EQUALS -> present && v.asText().equals(value);
        case NOT_EQUALS -> !present || !v.asText().equals(value);
        case EXISTS -> present;
        case NOT_EXISTS -> !present;
      };
    }
  }

  /** A selector that cannot be parsed: {@code reason} says which part and why. */
  public static final class SyntaxError extends Exception {
    public SyntaxError(String reason) {
      super(reason, null, false, false);
    }
  }

  public static LabelSelector parse(String text) throws SyntaxError {
    if (text == null || text.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      if (p.isEmpty()) {
        throw new SyntaxError("empty requirement in \"" + text + "\"");
      }
      Requirement r;
      int ne = p.indexOf("!=");
      int eq = p.indexOf('=');
      if (ne >= 0) {
        r = new Requirement(p.substring(0, ne).strip(), Operator.NOT_EQUALS, p.substring(ne + 2).strip());
      } else if (eq >= 0) {
        String value = p.startsWith("==", eq) ? p.substring(eq + 2) : p.substring(eq + 1);
        r = new Requirement(p.substring(0, eq).strip(), Operator.EQUALS, value.strip());
      } else if (p.startsWith("!")) {
        r = new Requirement(p.substring(1).strip(), Operator.NOT_EXISTS, null);
      } else {
        r = new Requirement(p, Operator.EXISTS, null);
      }
      if (!KEY.matcher(r.key()).matches()) {
        throw new SyntaxError("\"" + p + "\": label key \"" + r.key() + "\" is not a valid label key");
      }
      if (r.value() != null && !VALUE.matcher(r.value()).matches()) {
        throw new SyntaxError("\"" + p + "\": label value \"" + r.value() + "\" is not a valid label value");
      }
      out.add(r);
    }
    return new LabelSelector(out);
  }

  /**
   * A cheap necessary condition on an object's stored JSON, checked before parsing it: every
   * {@code k=v} requirement's {@code "k":"v"} must occur in the bytes. Sound because stored
   * objects are written compactly by Jackson and label keys and values never need escaping.
   */
  public boolean mightMatch(byte[] json) {
    for (Requirement r : requirements) {
      if (r.operator() == Operator.EQUALS && !contains(json, r.needle())) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  public boolean matches(JsonNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
