package io.wharf.server.auth.identity;

import io.wharf.server.auth.policy.Role;
import io.wharf.server.auth.policy.Rule;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A stored custom role. */
public record RoleRecord(String name, List<Rule> rules, Instant created, String createdBy) {
  public RoleRecord {
    Objects.requireNonNull(name, "name");
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  public Role role() {
    return new Role(name, rules, false);
  }
}
