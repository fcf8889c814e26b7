package io.wharf.server.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Field-level differences between two JSON trees, as paths people read: objects recurse by field
 * ({@code spec.health.interval}), arrays by index ({@code spec.ports[1].port}), anything else is
 * a leaf. A field on one side only appears with null on the other. Pure and thread-safe.
 */
public final class JsonDiff {
  private JsonDiff() {}

  public static List<FieldDiff> between(String path, JsonNode oldValue, JsonNode newValue) {
    List<FieldDiff> out = new ArrayList<>();
    walk(path, absentAsNull(oldValue), absentAsNull(newValue), out);
    return out;
  }

  private static JsonNode absentAsNull(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? null : n;
  }

  private static void walk(String path, JsonNode a, JsonNode b, List<FieldDiff> out) {
    if (a == null && b == null) {
      return;
    }
    if (a != null && b != null && a.equals(b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      for (String name : names) {
        walk(path.isEmpty() ? name : path + "." + name, absentAsNull(a.get(name)), absentAsNull(b.get(name)), out);
      }
      return;
    }
    if (a != null && b != null && a.isArray() && b.isArray()) {
      int n = Math.max(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        walk(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, out);
      }
      return;
    }
    out.add(new FieldDiff(path, a, b));
  }
}
