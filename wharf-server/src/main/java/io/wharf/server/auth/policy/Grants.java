package io.wharf.server.auth.policy;

import java.util.List;

/** What is attached to one principal: roles by name and rules of its own. */
public record Grants(List<String> roles, List<Rule> rules) {
  public static final Grants NONE = new Grants(List.of(), List.of());

  public Grants {
    roles = List.copyOf(roles);
    rules = List.copyOf(rules);
  }
}
