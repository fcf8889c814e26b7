package io.wharf.server.auth.policy;

import java.util.List;
import java.util.Objects;

/** A named bundle of rules that principals hold by name. Built-in roles cannot be changed. */
public record Role(String name, List<Rule> rules, boolean builtIn) {
  public Role {
    Objects.requireNonNull(name, "name");
    rules = List.copyOf(rules);
  }
}
