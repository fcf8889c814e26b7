package io.wharf.server.auth.policy;

import io.wharf.server.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An allow rule: the verbs it allows on the kinds it names in the namespaces its pattern
 * matches. The pattern is a glob where {@code *} matches any run of characters ({@code *}
 * alone: every namespace and the cluster-scoped kinds; {@code team-*}: namespaces starting
 * with {@code team-}). Kinds are kind names ({@code Service}) or {@code *}; verbs are
 * {@link Verb} names or {@code *}. Nothing is denied by a rule: whatever no rule allows is denied.
 */
public record Rule(String namespace, Set<String> kinds, Set<String> verbs) {
  public static final String ANY = "*";
  private static final Pattern NAMESPACE_PATTERN = Pattern.compile("[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?");

  /** Kinds a rule may name besides the resource kinds of the API. */
  public static final List<String> AUTH_KINDS = List.of("Principal", "Role", "Token", "Cluster", "AuditEntry");

  public Rule {
    kinds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(kinds));
    verbs = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(verbs));
  }

  public static Rule of(String namespace, List<String> kinds, List<String> verbs) {
    return new Rule(namespace, Set.copyOf(kinds), Set.copyOf(verbs));
  }

  /** Every problem of a rule read from a request, each naming its field under {@code path}. */
  public static List<String> problems(String path, String namespace, List<String> kinds, List<String> verbs) {
    List<String> problems = new ArrayList<>();
    if (namespace == null || namespace.isEmpty()) {
      problems.add(path + ".namespace: required (a namespace, a glob such as team-*, or * for all)");
    } else if (!NAMESPACE_PATTERN.matcher(namespace).matches() || namespace.length() > 63) {
      problems.add(path + ".namespace: \"" + namespace + "\" is not a namespace or a glob of one");
    }
    if (kinds == null || kinds.isEmpty()) {
      problems.add(path + ".kinds: at least one kind (or *)");
    } else {
      for (String k : kinds) {
        if (!knownKind(k)) {
          problems.add(path + ".kinds: unknown kind \"" + k + "\" (known: * and " + String.join(", ", knownKinds()) + ")");
        }
      }
    }
    if (verbs == null || verbs.isEmpty()) {
      problems.add(path + ".verbs: at least one verb (or *)");
    } else {
      for (String v : verbs) {
        if (!ANY.equals(v) && Verb.parse(v).isEmpty()) {
          problems.add(path + ".verbs: unknown verb \"" + v + "\" (known: * and "
              + String.join(", ", java.util.Arrays.stream(Verb.values()).map(Verb::wire).toList()) + ")");
        }
      }
    }
    return problems;
  }

  /** The API's kind names plus {@link #AUTH_KINDS}. */
  public static List<String> knownKinds() {
    List<String> all = new ArrayList<>(ResourceType.ALL.stream().map(ResourceType::kind).toList());
    all.addAll(AUTH_KINDS);
    return all;
  }

  private static boolean knownKind(String kind) {
    return ANY.equals(kind) || knownKinds().contains(kind);
  }

  /** Accepts a plural ({@code services}) or any case ({@code service}) for a kind name. */
  public static String canonicalKind(String text) {
    if (ANY.equals(text)) {
      return text;
    }
    for (String k : knownKinds()) {
      if (k.equalsIgnoreCase(text)) {
        return k;
      }
    }
    return ResourceType.byPlural(text.toLowerCase(Locale.ROOT)).map(ResourceType::kind).orElse(text);
  }

  public boolean allows(Permission p) {
    return (verbs.contains(ANY) || verbs.contains(p.verb().wire()))
        && (kinds.contains(ANY) || kinds.contains(p.kind()))
        && (p.namespace() == null ? ANY.equals(namespace) : Globs.matches(namespace, p.namespace()));
  }

  /** {@code namespace=team-*, kinds=Service,Instance, verbs=get,list} */
  public String describe() {
    return "namespace=" + namespace + " kinds=" + String.join(",", kinds) + " verbs=" + String.join(",", verbs);
  }
}
