package io.wharf.server.auth.identity;

import io.wharf.server.auth.Principal;
import io.wharf.server.auth.policy.BuiltInRoles;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The first start of a cluster: creates {@code user:admin} holding the {@code admin} role and one
 * API token for it, together with a marker key, in one transaction that only succeeds when the
 * marker is absent. So exactly one start of one server ever bootstraps, and only it learns the
 * token; later starts (and the other servers) get nothing to print.
 */
public final class Bootstrap {
  public static final Principal ADMIN = Principal.user("admin");
  /** The shortest operator-given bootstrap token accepted. */
  public static final int MIN_GIVEN_LENGTH = 32;

  private Bootstrap() {
  }

  /**
   * Bootstraps if nobody has; returns the admin token when this call did. {@code given} (may be
   * null) is the token to use instead of a random one (an operator's WHARF_BOOTSTRAP_TOKEN).
   */
  public static Optional<String> run(AuthRecords records, InstantSource clock, String given) {
    if (given != null) {
      validateGiven(given);
    }
    if (records.store().get(AuthRecords.BOOTSTRAP).isPresent()) {
      return Optional.empty();
    }
    String token = given != null ? given : ApiTokens.newSecret();
    var now = clock.instant();
    PrincipalRecord admin = new PrincipalRecord(ADMIN.id(), List.of(BuiltInRoles.ADMIN), List.of(), now, "bootstrap");
    TokenRecord record = ApiTokens.recordOf(token, ADMIN.id(), "bootstrap admin token", now, "bootstrap", null);
    return records.bootstrap(admin, record) ? Optional.of(token) : Optional.empty();
  }

  /** A given bootstrap token must look like an API token and be long enough to be unguessable. */
  public static void validateGiven(String given) {
    if (!given.startsWith(ApiTokens.PREFIX) || given.length() < MIN_GIVEN_LENGTH
        || !given.substring(ApiTokens.PREFIX.length()).matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("a bootstrap token must start with \"" + ApiTokens.PREFIX
          + "\", be at least " + MIN_GIVEN_LENGTH + " characters long and use only letters, digits, '-' and '_'");
    }
  }
}
