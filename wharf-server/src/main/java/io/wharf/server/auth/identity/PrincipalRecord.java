package io.wharf.server.auth.identity;

import io.wharf.server.auth.policy.Grants;
import io.wharf.server.auth.policy.Rule;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A stored principal ({@code user:alice}, {@code service:default/web}, {@code node:n1}) and its grants. */
public record PrincipalRecord(String id, List<String> roles, List<Rule> rules, Instant created, String createdBy) {
  public PrincipalRecord {
    Objects.requireNonNull(id, "id");
    roles = roles == null ? List.of() : List.copyOf(roles);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  public Grants grants() {
    return new Grants(roles, rules);
  }

  public PrincipalRecord withGrants(Grants g) {
    return new PrincipalRecord(id, g.roles(), g.rules(), created, createdBy);
  }
}
