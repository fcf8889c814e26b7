package io.wharf.server.auth.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Every rule one principal holds (its own and its roles'), and the two decisions made on them:
 * whether a {@link Permission} is allowed (deny unless some rule allows), and which of the
 * rules a caller wants to grant it does not hold itself (granting is refused unless that list is
 * empty). Pure and immutable.
 */
public record Policy(List<Rule> rules) {
  public static final Policy NONE = new Policy(List.of());

  public Policy {
    rules = List.copyOf(rules);
  }

  public boolean allows(Permission p) {
    for (Rule r : rules) {
      if (r.allows(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The parts of {@code wanted} this policy does not hold, as (verb, kind, namespace pattern)
   * triples: a wanted rule is held when, for each of its kinds and verbs, one held rule names
   * that kind (or *) and verb (or *) and its namespace pattern covers the wanted one. A {@code *}
   * kind or verb is held only by a {@code *}.
   */
  public List<String> missing(List<Rule> wanted) {
    List<String> missing = new ArrayList<>();
    for (Rule w : wanted) {
      for (String kind : w.kinds()) {
        for (String verb : w.verbs()) {
          if (!holds(verb, kind, w.namespace())) {
            String text = verb + " " + kind + " in namespace " + w.namespace();
            if (!missing.contains(text)) {
              missing.add(text);
            }
          }
        }
      }
    }
    return missing;
  }

  private boolean holds(String verb, String kind, String namespace) {
    for (Rule r : rules) {
      if ((r.verbs().contains(Rule.ANY) || r.verbs().contains(verb))
          && (r.kinds().contains(Rule.ANY) || r.kinds().contains(kind))
          && Globs.covers(r.namespace(), namespace)) {
        return true;
      }
    }
    return false;
  }
}
