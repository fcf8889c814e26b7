package io.wharf.server.auth.identity;

import io.wharf.server.auth.ForbiddenException;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.policy.BuiltInRoles;
import io.wharf.server.auth.policy.Grants;
import io.wharf.server.auth.policy.Permission;
import io.wharf.server.auth.policy.Policy;
import io.wharf.server.auth.policy.Role;
import io.wharf.server.auth.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a principal may do: its own rules, its roles' rules (built-in or stored; an
 * unknown role grants nothing), and {@code node} for every NODE principal. Principals and roles
 * are read from the server's {@link AuthCache} while it is synced (else from the store), so a
 * changed grant holds on the next request on the server that changed it and, on other servers,
 * as soon as their watch delivers the change.
 */
public final class Authorizer {
  private final AuthRecords records;

  public Authorizer(AuthRecords records) {
    this.records = records;
  }

  public Policy policyOf(Principal principal) {
    if (principal.anonymous()) {
      return Policy.NONE;
    }
    Grants grants = records.principalForAuthorization(principal.id()).map(PrincipalRecord::grants).orElse(Grants.NONE);
    List<String> roles = new ArrayList<>(grants.roles());
    if (principal.kind() == Principal.Kind.NODE && !roles.contains(BuiltInRoles.NODE)) {
      roles.add(BuiltInRoles.NODE);
    }
    return new Policy(rulesOf(grants.rules(), roles));
  }

  /** The rules that {@code roles} and {@code rules} add up to. */
  public List<Rule> rulesOf(List<Rule> rules, List<String> roles) {
    List<Rule> all = new ArrayList<>(rules);
    for (String name : roles) {
      role(name).ifPresent(r -> all.addAll(r.rules()));
    }
    return all;
  }

  public Optional<Role> role(String name) {
    Optional<Role> builtIn = BuiltInRoles.byName(name);
    return builtIn.isPresent() ? builtIn : records.roleForAuthorization(name).map(RoleRecord::role);
  }

  /** Throws {@link ForbiddenException} naming the first permission {@code principal} lacks. */
  public void require(Principal principal, List<Permission> needed) {
    Policy policy = policyOf(principal);
    for (Permission p : needed) {
      if (!policy.allows(p)) {
        throw new ForbiddenException(principal.id() + " may not " + p.describe());
      }
    }
  }

  /**
   * Refuses (403) to let {@code caller} change or remove {@code target} unless it holds everything
   * {@code target} holds now: nobody strips or deletes someone more powerful than themselves.
   */
  public void requireHoldsAllOf(Principal caller, Principal target, String verb) {
    if (caller.equals(target)) {
      return;
    }
    List<String> missing = policyOf(caller).missing(policyOf(target).rules());
    if (!missing.isEmpty()) {
      throw new ForbiddenException(caller.id() + " may not " + verb + " " + target.id() + ", who holds more: it does not hold "
          + String.join("; ", missing));
    }
  }

  /**
   * Refuses (403) to let {@code granter} hand out {@code rules} and {@code roles} (to a principal,
   * a role or a token) unless it holds every permission they grant.
   */
  public void requireHolds(Principal granter, String what, List<Rule> rules, List<String> roles) {
    List<String> missing = policyOf(granter).missing(rulesOf(rules, roles));
    if (!missing.isEmpty()) {
      throw new ForbiddenException(granter.id() + " may not grant " + what + ": it does not hold "
          + String.join("; ", missing));
    }
  }
}
